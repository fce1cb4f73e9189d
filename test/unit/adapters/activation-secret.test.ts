import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:activation-AbCdEf';
let extension: Server;
const seen: { url: string; headers: IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  // Stands in for AWS's Parameters and Secrets extension, which listens on localhost in Lambda.
  extension = createServer((request, response) => {
    seen.push({ url: request.url ?? '', headers: request.headers });
    if (request.headers['x-aws-parameters-secrets-token'] !== 'session-token') {
      response.writeHead(401).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ ARN: SECRET_ARN, SecretString: 'the-hmac-key' }));
  });
  await new Promise<void>((resolve) => extension.listen(0, '127.0.0.1', resolve));
  vi.stubEnv(
    'PARAMETERS_SECRETS_EXTENSION_HTTP_PORT',
    String((extension.address() as AddressInfo).port),
  );
  vi.stubEnv('ACTIVATION_SECRET', '');
  vi.stubEnv('ACTIVATION_SECRET_ARN', SECRET_ARN);
  vi.stubEnv('AWS_SESSION_TOKEN', 'session-token');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => extension.close(resolve));
});

describe('the activation secret on AWS', () => {
  it('is read once through the extension with the session token, then cached', async () => {
    const { activationSecret } = await import('../../../functions/adapters/activation-secret.ts');
    expect(await activationSecret()).toBe('the-hmac-key');
    expect(await activationSecret()).toBe('the-hmac-key');
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe(`/secretsmanager/get?secretId=${encodeURIComponent(SECRET_ARN)}`);
  });
});
