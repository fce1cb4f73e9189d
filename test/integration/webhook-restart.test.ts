import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { close } from '../../local/listen.ts';
import type { RunningStack } from '../../local/stack.ts';
import { type LocalProcess, startLocalProcess } from '../support/local-process.ts';
import { partnerClient, validRequest, waitFor } from '../support/local-stack.ts';

/** `npm start` again on the same data directory: a delivery that was pending goes out. */

const dir = mkdtempSync(join(tmpdir(), 'sar-webhooks-'));
const KEY = `sak_webhook_restart_${process.pid}_partner_key`;
let server: Server | undefined;
let local: LocalProcess | undefined;

afterAll(async () => {
  await local?.stop();
  if (server) await close(server);
  rmSync(dir, { recursive: true, force: true });
});

describe('a restart of npm start', () => {
  it('delivers what was pending when it stopped, once it is back', async () => {
    let up = false;
    const received: string[] = [];
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        if (up) received.push(String(request.headers['webhook-id']));
        response.writeHead(up ? 204 : 503).end();
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    // The retry is planned 6 s after the first attempt; the execution that planned it dies
    // with the stop, so only the restart's sweep can make it happen.
    const start = () =>
      startLocalProcess({
        LOCAL_DATA_DIR: dir,
        LOCAL_PARTNER_KEYS: KEY,
        WEBHOOK_RETRY_SECONDS: '6',
      });
    const partnerOf = (running: LocalProcess) =>
      partnerClient({ apiUrl: running.apiUrl } as RunningStack, KEY);

    local = await start();
    const partner = partnerOf(local);
    const endpoint = await partner.call('POST', '/v1/webhook-endpoints', {
      body: { url, events: ['smart_account_request.created'] },
    });
    expect(endpoint.status).toBe(201);
    const created = await partner.create(validRequest());
    expect(created.status).toBe(202);
    const lastAttempt = async (client: ReturnType<typeof partnerOf>) =>
      (await client.call('GET', `/v1/webhook-endpoints/${endpoint.body.id}/deliveries`)).body
        .items[0];
    const failed = await waitFor(async () => {
      const attempt = await lastAttempt(partner);
      return attempt?.lastStatusCode === 503 && attempt;
    }, 'the first attempt to fail');
    await local.stop('SIGKILL');

    up = true;
    local = await start();
    const after = partnerOf(local);
    await waitFor(
      async () => (await lastAttempt(after))?.status === 'succeeded',
      'the pending delivery after the restart',
    );
    expect(received).toHaveLength(1);
    const delivered = await lastAttempt(after);
    expect(delivered.attempts).toBe(2);
    // On its planned time, not before it.
    expect(Date.parse(delivered.lastAttemptAt)).toBeGreaterThanOrEqual(
      Date.parse(failed.nextAttemptAt),
    );
    expect((await after.get(created.body.id)).body.status).toBe('PENDING_ACTIVATION');
  });
});
