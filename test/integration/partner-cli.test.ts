import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '../../local/stack.ts';
import { partnerClient, startTestStack } from '../support/local-stack.ts';

const run = promisify(execFile);
let stack: RunningStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.stop();
});

const partnerCli = (args: string[]) =>
  run('node_modules/.bin/tsx', ['scripts/partner.ts', ...args], {
    env: {
      ...process.env,
      AWS_ENDPOINT_URL_DYNAMODB: stack.dynamoUrl,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_REGION: 'us-east-1',
      TABLE_NAME: stack.tableName,
    },
  });

describe('npm run partner', () => {
  it('creates a partner and prints a key that the API accepts', async () => {
    const { stdout } = await partnerCli([
      'create',
      '--name',
      'CLI Partner BV',
      '--email',
      'ops@cli.example',
    ]);
    const key = stdout.match(/API key \(shown once, store it now\): (sak_[A-Za-z0-9_-]{43})/)?.[1];
    expect(key).toBeDefined();
    const list = await partnerClient(stack, key).list();
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ items: [], nextCursor: null });
    // The partner's first key, listed and labelled like any other; one of at most 5.
    const keys = await partnerClient(stack, key).call('GET', '/v1/api-keys');
    expect(keys.body.items).toEqual([
      {
        id: expect.stringMatching(/^key_/),
        label: 'First key',
        prefix: key?.slice(0, 8),
        createdAt: expect.any(String),
        lastUsedAt: expect.any(String),
      },
    ]);
  });

  it('refuses an invalid e-mail address and creates nothing', async () => {
    await expect(
      partnerCli(['create', '--name', 'Broken', '--email', 'not-an-address']),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--email must be a valid e-mail address.'),
    });
  });
});
