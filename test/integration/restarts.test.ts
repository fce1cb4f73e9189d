import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '../../local/stack.ts';
import { type LocalProcess, startLocalProcess } from '../support/local-process.ts';
import {
  partnerClient,
  type SentMail,
  sleep,
  statusBecomes,
  validRequest,
  waitFor,
} from '../support/local-stack.ts';

/**
 * `npm start` stopped and started again on the same LOCAL_DATA_DIR, as a developer does it:
 * each stack is its own process, stopped with SIGTERM or killed outright. The cases run side
 * by side: each has its own data directory and ports, and most of their time is waiting.
 */
const KEY = `sak_restart_partner_${process.pid}`;
const dirs: string[] = [];
const newDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'sar-data-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const start = (dataDir: string, env: Record<string, string> = {}) =>
  startLocalProcess({ LOCAL_DATA_DIR: dataDir, LOCAL_PARTNER_KEYS: KEY, ...env });

const partnerOf = (local: LocalProcess) =>
  partnerClient({ apiUrl: local.apiUrl } as RunningStack, KEY);

const mailsTo = async (local: LocalProcess, address: string): Promise<SentMail[]> => {
  const store = (await (await fetch(`${local.sesUrl}/store`)).json()) as { emails: SentMail[] };
  return store.emails.filter((mail) => mail.destination.to.includes(address));
};

/** The activation link in the mails, aimed at the loopback address the stack listens on. */
const linkIn = (mails: SentMail[]): string | undefined =>
  mails
    .map((mail) => mail.body.text?.match(/https?:\/\/\S+\/activate\/[A-Za-z0-9_-]+/)?.[0])
    .find(Boolean)
    ?.replace('//localhost:', '//127.0.0.1:');

const runningExecutions = async (local: LocalProcess): Promise<string[]> => {
  const client = new SFNClient({
    endpoint: local.stepFunctionsUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const { executions = [] } = await client.send(new ListExecutionsCommand({}));
    return executions.filter((e) => e.status === 'RUNNING').map((e) => e.name as string);
  } finally {
    client.destroy();
  }
};

/** The request id an execution works for: `<id>` or `<id>-<attempt>`. */
const requestOf = (executionName: string) => executionName.replace(/-\d+$/, '');

describe.concurrent('restarts lose nothing', () => {
  it('keeps every request with its status, its link and its domain lock', async () => {
    const dataDir = newDataDir();
    const first = await start(dataDir);
    const partner = partnerOf(first);
    const pending = validRequest();
    const active = validRequest();
    const created = await partner.create(pending);
    const toActivate = await partner.create(active);
    expect([created.status, toActivate.status]).toEqual([202, 202]);
    const link = await waitFor(
      async () => linkIn(await mailsTo(first, pending.customerEmail)),
      'the activation e-mail',
    );
    const activateLink = await waitFor(
      async () => linkIn(await mailsTo(first, active.customerEmail)),
      'the second activation e-mail',
    );
    const decided = await fetch(activateLink, {
      method: 'POST',
      headers: {
        Origin: `http://localhost:${new URL(first.apiUrl).port}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'decision=activate',
    });
    expect(decided.status).toBe(200);
    await statusBecomes(partner, toActivate.body.id, 'ACTIVE');
    expect(await first.stop('SIGTERM')).toBe(0);

    const second = await start(dataDir, { PORT: new URL(first.apiUrl).port });
    try {
      const again = partnerOf(second);
      expect((await again.get(created.body.id)).body).toMatchObject({
        status: 'PENDING_ACTIVATION',
        accountDomain: pending.accountDomain,
      });
      expect((await again.get(toActivate.body.id)).body.status).toBe('ACTIVE');
      // The link mailed before the restart still opens the request.
      const page = await fetch(link);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(pending.accountDomain);
      // Both domains are still taken: one pending, one active.
      expect(
        (await again.create(validRequest({ accountDomain: pending.accountDomain }))).status,
      ).toBe(409);
      expect(
        (await again.create(validRequest({ accountDomain: active.accountDomain }))).status,
      ).toBe(409);
      // The pending request has exactly one live wait again.
      const running = await runningExecutions(second);
      expect(running.map(requestOf)).toEqual([created.body.id]);
    } finally {
      await second.stop('SIGTERM');
    }
  });

  it('expires a request right after the start when its expiry fell in the downtime', async () => {
    const dataDir = newDataDir();
    const first = await start(dataDir, { ACTIVATION_TIMEOUT_SECONDS: '4' });
    const body = validRequest();
    const created = await partnerOf(first).create(body);
    expect(created.status).toBe(202);
    await waitFor(
      async () => linkIn(await mailsTo(first, body.customerEmail)),
      'the activation e-mail',
    );
    await first.stop('SIGKILL');
    await sleep(4_500);

    const startedAt = Date.now();
    const second = await start(dataDir, { ACTIVATION_TIMEOUT_SECONDS: '4' });
    try {
      await statusBecomes(partnerOf(second), created.body.id, 'EXPIRED', 10_000);
      expect(Date.now() - startedAt).toBeLessThan(10_000);
      await waitFor(
        async () =>
          (await mailsTo(second, body.customerEmail)).some((m) => /expired/i.test(m.subject)),
        'the expiry e-mail to the customer',
      );
    } finally {
      await second.stop('SIGTERM');
    }
  });

  it('expires on time, not earlier, a request that was pending across a restart', async () => {
    const dataDir = newDataDir();
    const first = await start(dataDir, { ACTIVATION_TIMEOUT_SECONDS: '8' });
    const created = await partnerOf(first).create(validRequest());
    const expiresAt = Date.parse(created.body.expiresAt);
    await first.stop('SIGTERM');

    const second = await start(dataDir, { ACTIVATION_TIMEOUT_SECONDS: '8' });
    try {
      const partner = partnerOf(second);
      expect((await partner.get(created.body.id)).body.status).toBe('PENDING_ACTIVATION');
      const expired = await statusBecomes(partner, created.body.id, 'EXPIRED', 15_000);
      expect(Date.parse(expired.closedAt)).toBeGreaterThanOrEqual(expiresAt);
      expect(Date.parse(expired.closedAt)).toBeLessThan(expiresAt + 3_000);
    } finally {
      await second.stop('SIGTERM');
    }
  });

  it('keeps every create that got a 202 when SIGTERM arrives in the middle of a load', async () => {
    const dataDir = newDataDir();
    const first = await start(dataDir);
    const partner = partnerOf(first);
    const accepted: string[] = [];
    let stopped: Promise<number | null> | undefined;
    const load = Array.from({ length: 6 }, async () => {
      for (let i = 0; i < 40; i++) {
        const response = await partner.create(validRequest()).catch(() => undefined);
        if (response?.status === 202) accepted.push(response.body.id);
        if (accepted.length >= 20) stopped ??= first.stop('SIGTERM');
        if (!response || response.status === 503) break;
      }
    });
    await Promise.all(load);
    expect(await stopped).toBe(0);
    expect(accepted.length).toBeGreaterThanOrEqual(20);

    const second = await start(dataDir);
    try {
      const again = partnerOf(second);
      for (const id of accepted) {
        expect((await again.get(id)).body.status).toBe('PENDING_ACTIVATION');
      }
      // Every pending request has one live wait, and only one.
      const running = (await runningExecutions(second)).map(requestOf);
      expect(new Set(running).size).toBe(running.length);
      expect(running).toEqual(expect.arrayContaining(accepted));
    } finally {
      await second.stop('SIGTERM');
    }
  });
});
