import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiGateway, type LocalApiGateway } from '../../../local/api-gateway.ts';
import { close, LOOPBACK, listen } from '../../../local/listen.ts';

/**
 * Before the local stack is ready, every route answers 503 with Retry-After and no handler
 * (not the authorizer either) is asked, so nothing a client sees then can be cached.
 */
let gateway: LocalApiGateway;
let base: string;

beforeAll(async () => {
  gateway = createApiGateway();
  await listen(gateway.server, 0);
  base = `http://${LOOPBACK}:${(gateway.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await close(gateway.server);
});

describe('the local gateway while the stack starts', () => {
  it('answers 503 with Retry-After on /health and on partner routes, then 200 once ready', async () => {
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(503);
    expect(health.headers.get('retry-after')).toBe('1');
    expect(health.headers.get('content-type')).toBe('application/problem+json');
    const partnerRoute = await fetch(`${base}/v1/smart-account-requests`, {
      headers: { Authorization: 'Bearer sak_valid_looking_key_00000000' },
    });
    expect(partnerRoute.status).toBe(503);
    expect(partnerRoute.headers.get('www-authenticate')).toBeNull();

    gateway.ready();
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });
});
