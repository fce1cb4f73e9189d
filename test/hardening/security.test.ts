import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../functions/shared/crypto.ts';
import { logger } from '../../functions/shared/logger.ts';
import type { FaultInjector } from '../../local/faults.ts';
import type { RunningStack } from '../../local/stack.ts';
import { createPending, decide, headingOf, type Pending } from '../support/customer.ts';
import {
  type ApiResponse,
  executionStatus,
  mailTo,
  type PartnerClient,
  partnerClient,
  sentMail,
  sleep,
  startTestStack,
  validRequest,
  waitFor,
} from '../support/local-stack.ts';
import {
  captureOutput,
  clientAddress,
  isPage,
  rawRequest,
  requestItem,
  scanTable,
} from './support.ts';

/**
 * Who may see and do what: partners see only their own requests, activation links cannot be
 * guessed or forged from another site, and no secret (task token, activation code, activation
 * secret) nor any customer address ends up where it does not belong.
 */

let stack: RunningStack;
let faults: FaultInjector;
let partner: PartnerClient;
let otherPartner: PartnerClient;
let clients = 10_000;

beforeAll(async () => {
  stack = await startTestStack({ faults: true });
  faults = stack.faults as FaultInjector;
  partner = partnerClient(stack, stack.partnerKeys[0]);
  otherPartner = partnerClient(stack, stack.partnerKeys[1]);
});

afterAll(async () => {
  console.info(`[hardening] security faults injected: ${faults?.injected}`);
  await stack?.stop();
});

const expectNotFoundProblem = (response: ApiResponse) => {
  expect(response.status).toBe(404);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  return { type: response.body.type, title: response.body.title, status: response.body.status };
};

describe('partner isolation', () => {
  it("another partner's request is exactly as invisible as an unknown one on get, cancel and resend", async () => {
    const mine = await createPending(stack, partner);
    const before = await requestItem(stack, mine.id);
    const unknown = 'sar_01J00000000000000000000000';
    for (const call of ['get', 'cancel', 'resend'] as const) {
      const theirs = expectNotFoundProblem(await otherPartner[call](mine.id));
      expect(theirs).toEqual(expectNotFoundProblem(await otherPartner[call](unknown)));
    }
    expect(await requestItem(stack, mine.id)).toEqual(before);
    expect(await mailTo(stack, mine.body.customerEmail)).toHaveLength(1);
    expect((await partner.get(mine.id)).status).toBe(200);
  });

  it("lists never show another partner's requests, and a cursor only works for the partner it was issued to", async () => {
    await createPending(stack, partner);
    await createPending(stack, otherPartner);
    const mineIds = new Set<string>();
    const theirsIds = new Set<string>();
    for (const [client, ids] of [
      [partner, mineIds],
      [otherPartner, theirsIds],
    ] as const) {
      let cursor: string | null = null;
      do {
        const page: ApiResponse = await client.list(`?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.status).toBe(200);
        for (const item of page.body.items) ids.add(item.id);
        cursor = page.body.nextCursor;
      } while (cursor);
    }
    expect([...mineIds].filter((id) => theirsIds.has(id))).toEqual([]);
    const stored = (await scanTable(stack)).filter((item) => item.entity === 'REQUEST');
    for (const item of stored) {
      expect(item.partnerId === 'local-partner-1' ? mineIds : theirsIds).toContain(item.id);
    }
    const myCursor = (await partner.list('?limit=1')).body.nextCursor;
    const stolen = await otherPartner.list(`?limit=1&cursor=${myCursor}`);
    expect(stolen.status).toBe(400);
    expect(stolen.body.errors).toEqual([{ path: 'cursor', message: expect.any(String) }]);
  });

  it("an Idempotency-Key never replays another partner's response", async () => {
    const body = validRequest();
    const key = { 'Idempotency-Key': `shared-${body.accountDomain}` };
    const mine = await partner.create(body, key);
    expect(mine.status).toBe(202);
    const theirs = await otherPartner.create(body, key);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.status).toBe(409);
    expect(theirs.text).not.toContain(mine.body.id);
  });
});

describe('activation codes', () => {
  it('carry 256 bits (43 base64url characters), differ per request and are stored only as SHA-256', async () => {
    const pendings = await Promise.all(
      Array.from({ length: 5 }, () => createPending(stack, partner)),
    );
    const codes = pendings.map((pending) => pending.code);
    for (const code of codes) expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(codes).size).toBe(codes.length);
    const table = JSON.stringify(await scanTable(stack), (_key, value) =>
      value instanceof Set ? [...value] : value,
    );
    for (const code of codes) {
      expect(table).not.toContain(code);
      expect(table).toContain(`CODE#${sha256(code)}`);
    }
    expect(table).not.toContain(process.env.ACTIVATION_SECRET);
    // A resend mails the same link: the code is derived again, never read back from the table.
    expect((await partner.resend(pendings[0]?.id as string)).status).toBe(202);
    const mails = await mailTo(stack, pendings[0]?.body.customerEmail as string);
    expect(mails.map((mail) => mail.body.text?.includes(pendings[0]?.link as string))).toEqual([
      true,
      true,
    ]);
  });
});

describe('secrets and addresses stay out of responses, URLs, e-mails and logs', () => {
  it('over full flows at DEBUG, including failures, no task token, code or customer address leaks', async () => {
    const previousLevel = logger.getLevelName();
    logger.setLogLevel('DEBUG');
    const output = captureOutput();
    const responses: string[] = [];
    const urls: string[] = [];
    const seen = (response: { status: number; headers: Headers; text?: string; html?: string }) => {
      response.headers.forEach((value, name) => {
        responses.push(`${name}: ${value}`);
      });
      responses.push(response.text ?? response.html ?? '');
    };
    let flows: Pending[] = [];
    try {
      // Happy paths: activate (after a resend), decline, cancel.
      flows = [
        await createPending(stack, partner),
        await createPending(stack, partner),
        await createPending(stack, partner),
      ];
      const [toActivate, toDecline, toCancel] = flows as [Pending, Pending, Pending];
      for (const pending of flows) {
        urls.push(pending.link);
        const page = await fetch(pending.link);
        seen({ status: page.status, headers: page.headers, text: await page.text() });
      }
      seen(await partner.resend(toActivate.id));
      seen(await decide(toActivate, 'activate'));
      seen(await decide(toActivate, 'activate'));
      seen(await decide(toDecline, 'decline'));
      seen(await partner.cancel(toCancel.id));
      for (const pending of flows) {
        seen(await partner.get(pending.id));
        await waitFor(
          async () => (await executionStatus(stack, pending.id)) === 'SUCCEEDED',
          'settled',
        );
      }
      seen(await partner.list('?limit=100'));

      // Failure paths log errors: SES refusing with a message that names the address (as SES
      // does), SES throttling a resend, Step Functions failing a start and a signal.
      const refused = await createPending(stack, partner);
      flows.push(refused);
      faults.inject({
        service: 'ses',
        operation: 'SendEmail',
        action: {
          kind: 'error',
          name: 'MessageRejected',
          message: `Email address is not verified. The following identities failed the check in region EU-WEST-1: ${refused.body.customerEmail}`,
        },
      });
      seen(await partner.resend(refused.id));
      faults.inject({
        service: 'ses',
        operation: 'SendEmail',
        times: 3,
        action: {
          kind: 'error',
          name: 'TooManyRequestsException',
          message: `Throttled sending to ${refused.body.customerEmail}`,
        },
      });
      seen(await partner.resend(refused.id));
      faults.inject({
        service: 'sfn',
        operation: 'StartExecution',
        times: 3,
        action: { kind: 'error', name: 'ServiceUnavailable', status: 503 },
      });
      seen(await partner.create(validRequest()));
      faults.inject({
        service: 'sfn',
        operation: 'SendTaskSuccess',
        times: 3,
        action: { kind: 'error', name: 'InternalFailure', status: 500 },
      });
      // SES refusing one user's access e-mail for good while the outcome is settled.
      const [user] = refused.body.userEmails as string[];
      faults.inject({
        service: 'ses',
        operation: 'SendEmail',
        when: (body) => JSON.stringify(body.Destination ?? {}).includes(user as string),
        action: { kind: 'error', name: 'MessageRejected', message: `Address blacklisted: ${user}` },
      });
      seen(await decide(refused, 'activate'));
      seen(await decide(refused, 'activate'));
      await waitFor(
        async () => (await executionStatus(stack, refused.id)) === 'SUCCEEDED',
        'settled',
      );
    } finally {
      output.stop();
      logger.setLogLevel(previousLevel);
      await faults.reset();
    }

    const logs = output.text();
    // The capture worked: the handlers' own log lines are in it.
    expect(logs).toContain('"message":"activation e-mail sent"');
    expect(logs).toContain('"level":"INFO"');

    const items = await scanTable(stack);
    const tokens = new Set<string>([
      ...items.map((item) => item.taskToken).filter(Boolean),
      ...faults
        .calls('sfn')
        .map((call) => call.body.taskToken as string)
        .filter(Boolean),
    ]);
    expect(tokens.size).toBeGreaterThanOrEqual(flows.length);
    const mails = JSON.stringify(await sentMail(stack));
    const responseText = responses.join('\n');
    for (const token of tokens) {
      expect(logs).not.toContain(token);
      expect(responseText).not.toContain(token);
      expect(urls.join('\n')).not.toContain(token);
      expect(mails).not.toContain(token);
    }
    for (const pending of flows) {
      expect(logs).not.toContain(pending.code);
      for (const address of [
        pending.body.customerEmail,
        ...(pending.body.userEmails as string[]),
      ]) {
        expect(logs, `${address} in the logs`).not.toContain(address);
      }
    }
    // Responses never carry internal fields either.
    for (const field of [
      'taskToken',
      'codeHash',
      'codeNonce',
      'partnerId',
      'sentEmails',
      'notifiedStatus',
      'GSI1PK',
    ]) {
      expect(responseText).not.toContain(`"${field}"`);
    }
  });
});

describe('forged and cross-site decisions', () => {
  it.each([
    ['a foreign Origin', { Origin: 'https://evil.example' }],
    ['Sec-Fetch-Site: cross-site', { 'Sec-Fetch-Site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site', { 'Sec-Fetch-Site': 'same-site', Origin: 'null' }],
  ])('refuses a POST with %s (403) and decides nothing', async (_case, headers) => {
    const pending = await createPending(stack, partner);
    const page = await decide(pending, 'activate', headers);
    expect(page.status).toBe(403);
    expect(headingOf(page.html)).toBe('Action not allowed');
    expect((await partner.get(pending.id)).body.status).toBe('PENDING_ACTIVATION');
    // The same form from our own page goes through: the refusal above was the Origin's doing.
    expect((await decide(pending, 'activate')).status).toBe(200);
  });
});

describe('guessing activation codes', () => {
  it('answers 429 with Retry-After after 10 misses from one client, for any code, while other clients go on', async () => {
    // Misses are counted in fixed 15-minute windows: do not start right at a window's end.
    const secondsLeft = 900 - (Math.floor(Date.now() / 1000) % 900);
    if (secondsLeft < 3) await sleep(secondsLeft * 1000 + 100);
    const pending = await createPending(stack, partner);
    const guesser = clientAddress(clients++);
    const guess = (code: string, method = 'GET') =>
      rawRequest(stack, {
        method,
        path: `/activate/${code}`,
        localAddress: guesser,
        ...(method === 'POST'
          ? {
              body: 'decision=activate',
              headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            }
          : {}),
      });
    const misses = [];
    for (let i = 0; i < 9; i++) misses.push(await guess(`${'A'.repeat(42)}${i}`));
    misses.push(await guess('short', 'POST'));
    expect(misses.map((miss) => miss.status)).toEqual(Array(10).fill(404));
    const blocked = await guess('B'.repeat(43));
    expect(blocked.status).toBe(429);
    expect(isPage(blocked)).toBe(true);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    // Even the right code is refused to this client for now (no oracle for a guesser) ...
    expect((await guess(pending.code)).status).toBe(429);
    expect((await guess(pending.code, 'POST')).status).toBe(429);
    // ... while the customer, on another address, is not affected.
    const customer = await rawRequest(stack, {
      method: 'GET',
      path: `/activate/${pending.code}`,
      localAddress: clientAddress(clients++),
    });
    expect(customer.status).toBe(200);
    // Counters are kept per hashed address: the address itself is not stored.
    expect(JSON.stringify(await scanTable(stack))).not.toContain(guesser);
  });

  it('holds the limit for parallel guesses too: of 60 at once, at most 10 are looked up', async () => {
    const secondsLeft = 900 - (Math.floor(Date.now() / 1000) % 900);
    if (secondsLeft < 5) await sleep(secondsLeft * 1000 + 100);
    const guesser = clientAddress(clients++);
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        rawRequest(stack, {
          method: 'GET',
          path: `/activate/${'C'.repeat(41)}${String(i).padStart(2, '0')}`,
          localAddress: guesser,
        }),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 404)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(50);
  });

  it('does not count a real code as a miss', async () => {
    const pending = await createPending(stack, partner);
    const reader = clientAddress(clients++);
    for (let i = 0; i < 12; i++) {
      const page = await rawRequest(stack, {
        method: 'GET',
        path: `/activate/${pending.code}`,
        localAddress: reader,
      });
      expect(page.status).toBe(200);
    }
  });
});

/** The request's bytes exactly as written (node:http would merge the two spellings). */
const rawHttp = (target: RunningStack, head: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const url = new URL(target.apiUrl);
    const socket = connect(Number(url.port), url.hostname, () => socket.end(`${head}\r\n\r\n`));
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('utf8');
    });
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });

describe('the local gateway and the Authorization header', () => {
  it('refuses two Authorization headers and never caches the made-up key as valid', async () => {
    const madeUp = 'Bearer sak_made_up_key_0000000000000000';
    const both = await rawRequest(stack, {
      method: 'GET',
      path: '/v1/smart-account-requests',
      headers: { Authorization: [`Bearer ${stack.partnerKeys[0]}`, madeUp] },
    });
    expect(both.status).toBe(401);
    const reversed = await rawRequest(stack, {
      method: 'GET',
      path: '/v1/smart-account-requests',
      headers: { Authorization: [madeUp, `Bearer ${stack.partnerKeys[0]}`] },
    });
    expect(reversed.status).toBe(401);
    // The same header twice under two spellings: the authorizer must not check one while the
    // cache keeps the other.
    const twoSpellings = await rawHttp(
      stack,
      [
        'GET /v1/smart-account-requests HTTP/1.1',
        'Host: 127.0.0.1',
        `authorization: ${madeUp}`,
        `Authorization: Bearer ${stack.partnerKeys[0]}`,
        'Connection: close',
      ].join('\r\n'),
    );
    expect(twoSpellings).toMatch(/^HTTP\/1\.1 401 /);
    const alone = await rawRequest(stack, {
      method: 'GET',
      path: '/v1/smart-account-requests',
      headers: { Authorization: madeUp },
    });
    expect(alone.status).toBe(401);
    expect((await partner.list()).status).toBe(200);
  });
});
