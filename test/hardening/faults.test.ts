import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FaultInjector } from '../../local/faults.ts';
import type { RunningStack } from '../../local/stack.ts';
import { createPending, decide, headingOf } from '../support/customer.ts';
import {
  type ApiResponse,
  activationLink,
  executionStatus,
  mailTo,
  type PartnerClient,
  partnerClient,
  sleep,
  startTestStack,
  statusBecomes,
  validRequest,
  waitFor,
} from '../support/local-stack.ts';
import { executionNames, mailsAbout, PARTNER_ONE, scanTable } from './support.ts';

/**
 * Faults injected between the handlers and the stand-ins (local/faults.ts): DynamoDB, Step
 * Functions and SES fail, slow down, lose replies or refuse connections on cue. Whatever
 * happens, the partner gets a retryable answer, nothing is left half-done, and a retry ends
 * with exactly one request, one execution and one of each e-mail.
 */

let stack: RunningStack;
let faults: FaultInjector;
let partner: PartnerClient;

beforeAll(async () => {
  stack = await startTestStack({ faults: true });
  faults = stack.faults as FaultInjector;
  partner = partnerClient(stack, stack.partnerKeys[0]);
  // The gateway caches the authorizer's answer per key, as API Gateway does: the faults below
  // hit the handlers, not the key lookup.
  expect((await partner.list()).status).toBe(200);
});

afterEach(async () => {
  await faults.reset();
});

afterAll(async () => {
  console.info(`[hardening] faults injected: ${faults?.injected}`);
  await stack?.stop();
});

const expectRetryable = (response: ApiResponse, retryAfter?: string) => {
  expect(response.status, response.text).toBe(503);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.headers.get('retry-after')).toEqual(retryAfter ?? expect.any(String));
  expect(response.body.errorId).toEqual(expect.any(String));
};

/** Everything in the table that mentions the account domain (its lock and its requests). */
const itemsAbout = async (domain: string) =>
  (await scanTable(stack)).filter((item) => JSON.stringify(item).includes(domain));

const requestsFor = async (domain: string) =>
  (await scanTable(stack)).filter(
    (item) => item.entity === 'REQUEST' && item.accountDomain === domain,
  );

/** The request item itself, not one of its events (same partition, SK EVENT#…). */
const isRequestItem = (body: Record<string, unknown>) => {
  const item = body.Item as { PK?: { S?: string }; SK?: { S?: string } } | undefined;
  return String(item?.PK?.S).startsWith('REQUEST#') && item?.SK?.S === 'REQUEST';
};
const isDomainLock = (body: Record<string, unknown>) =>
  String((body.Item as { PK?: { S?: string } } | undefined)?.PK?.S).startsWith('DOMAIN#');
const isIdempotencyClaim = (body: Record<string, unknown>) =>
  String((body.Item as { PK?: { S?: string } } | undefined)?.PK?.S).startsWith('IDEMPOTENCY#');

const activationMailArrives = (address: string) =>
  waitFor(async () => (await mailTo(stack, address)).length > 0, `activation mail to ${address}`);

describe('DynamoDB fails during create', () => {
  it('throttled on every write: 503 with Retry-After, nothing written, and the retry succeeds', async () => {
    const body = validRequest();
    const throttle = faults.inject({
      service: 'dynamodb',
      operation: 'PutItem',
      times: Number.POSITIVE_INFINITY,
      action: { kind: 'error', name: 'ProvisionedThroughputExceededException' },
    });
    const refused = await partner.create(body, {
      'Idempotency-Key': `throttled-${body.accountDomain}`,
    });
    throttle.disarm();
    expectRetryable(refused, '1');
    // The SDK retried before giving up (3 attempts), so one blip never reaches the partner.
    expect(throttle.hits).toBeGreaterThanOrEqual(3);
    expect(await itemsAbout(body.accountDomain)).toEqual([]);
    expect(await mailTo(stack, body.customerEmail)).toEqual([]);

    const retried = await partner.create(body, {
      'Idempotency-Key': `throttled-${body.accountDomain}`,
    });
    expect(retried.status, retried.text).toBe(202);
    await activationMailArrives(body.customerEmail);
    expect(await requestsFor(body.accountDomain)).toHaveLength(1);
  });

  it('one throttled write is absorbed by the SDK retry: the partner never sees it', async () => {
    const body = validRequest();
    const blip = faults.inject({
      service: 'dynamodb',
      operation: 'PutItem',
      when: isRequestItem,
      action: { kind: 'error', name: 'ThrottlingException' },
    });
    const created = await partner.create(body);
    expect(created.status, created.text).toBe(202);
    expect(blip.hits).toBe(1);
    expect(await requestsFor(body.accountDomain)).toHaveLength(1);
  });

  it('unavailable after the domain lock was taken: the lock is given back, 503, and the retry succeeds at once', async () => {
    const body = validRequest();
    const outage = faults.inject({
      service: 'dynamodb',
      operation: 'PutItem',
      when: isRequestItem,
      times: Number.POSITIVE_INFINITY,
      action: { kind: 'drop' },
    });
    const refused = await partner.create(body);
    outage.disarm();
    expectRetryable(refused);
    expect(outage.hits).toBeGreaterThanOrEqual(3);
    expect(await itemsAbout(body.accountDomain)).toEqual([]);

    const retried = await partner.create(body);
    expect(retried.status, retried.text).toBe(202);
    await activationMailArrives(body.customerEmail);
  });

  it.each([
    ['the domain lock', isDomainLock],
    ['the request item', isRequestItem],
    ['the Idempotency-Key claim', isIdempotencyClaim],
  ])(
    'a lost reply on %s (the write landed, the SDK retried) still creates exactly one request',
    async (_what, when) => {
      const body = validRequest();
      const lost = faults.inject({
        service: 'dynamodb',
        operation: 'PutItem',
        when,
        action: { kind: 'lose-reply' },
      });
      const created = await partner.create(body, {
        'Idempotency-Key': `lost-${body.accountDomain}`,
      });
      expect(lost.hits).toBe(1);
      expect(created.status, created.text).toBe(202);
      await activationMailArrives(body.customerEmail);
      const requests = await requestsFor(body.accountDomain);
      expect(requests.map((request) => request.status)).toEqual(['PENDING_ACTIVATION']);
      expect(executionNames(stack)).toContain(created.body.id);
      // The replay still works and the domain is held by this request.
      const replay = await partner.create(body, {
        'Idempotency-Key': `lost-${body.accountDomain}`,
      });
      expect(replay.body.id).toBe(created.body.id);
      expect(
        (await partner.create(validRequest({ accountDomain: body.accountDomain }))).status,
      ).toBe(409);
    },
  );

  it('refusing connections: create, get and list answer 503 with Retry-After, and all work again after', async () => {
    const existing = await partner.create(validRequest());
    await faults.refuseConnections('dynamodb');
    const body = validRequest();
    const answers = await Promise.all([
      partner.create(body),
      partner.get(existing.body.id),
      partner.list(),
    ]);
    for (const answer of answers) expectRetryable(answer);
    await faults.acceptConnections('dynamodb');
    expect((await partner.create(body)).status).toBe(202);
    expect((await partner.get(existing.body.id)).status).toBe(200);
  });
});

describe('StartExecution fails after the request was stored', () => {
  const failStarts = () =>
    faults.inject({
      service: 'sfn',
      operation: 'StartExecution',
      times: Number.POSITIVE_INFINITY,
      action: { kind: 'error', name: 'ServiceUnavailable', status: 503 },
    });

  it.each([
    ['the same Idempotency-Key', true],
    ['no Idempotency-Key', false],
  ])(
    '503, and a retry with %s ends with one live request, one execution and a free domain',
    async (_case, withKey) => {
      const body = validRequest();
      const headers = withKey ? { 'Idempotency-Key': `start-${body.accountDomain}` } : undefined;
      const fault = failStarts();
      const refused = await partner.create(body, headers);
      fault.disarm();
      expectRetryable(refused, '2');
      // The request that never got an execution was closed at once; nobody is mailed about it.
      const [orphan] = await requestsFor(body.accountDomain);
      expect(orphan).toMatchObject({ status: 'FAILED', closeReason: 'ExecutionNotStarted' });
      expect(executionNames(stack)).not.toContain(orphan?.id);

      const retried = await partner.create(body, headers);
      expect(retried.status, retried.text).toBe(202);
      expect(retried.body.id).not.toBe(orphan?.id);
      await activationMailArrives(body.customerEmail);
      const requests = await requestsFor(body.accountDomain);
      expect(requests.filter((request) => request.status === 'PENDING_ACTIVATION')).toHaveLength(1);
      const names = new Set(executionNames(stack));
      expect(
        requests.filter((request) => names.has(request.id)).map((request) => request.id),
      ).toEqual([retried.body.id]);
      expect(await executionStatus(stack, retried.body.id)).toBe('RUNNING');
      expect(await mailsAbout(stack, body.accountDomain)).toEqual([
        `${body.customerEmail}: activation`,
      ]);
      // And the domain is held by the live request only.
      expect(
        (await partner.create(validRequest({ accountDomain: body.accountDomain }))).status,
      ).toBe(409);
    },
  );

  it('a lost StartExecution reply is retried by the SDK into the same execution: one request, one mail', async () => {
    const body = validRequest();
    const lost = faults.inject({
      service: 'sfn',
      operation: 'StartExecution',
      action: { kind: 'lose-reply' },
    });
    const created = await partner.create(body);
    expect(lost.hits).toBe(1);
    expect(created.status, created.text).toBe(202);
    await activationMailArrives(body.customerEmail);
    await sleep(100);
    expect(executionNames(stack).filter((name) => name === created.body.id)).toHaveLength(1);
    expect(await mailsAbout(stack, body.accountDomain)).toEqual([
      `${body.customerEmail}: activation`,
    ]);
  });
});

describe('SES throttles', () => {
  const throttleMailTo = (address: string, times: number) =>
    faults.inject({
      service: 'ses',
      operation: 'SendEmail',
      when: (body) => JSON.stringify(body.Destination ?? {}).includes(address),
      times,
      action: { kind: 'error', name: 'TooManyRequestsException' },
    });

  it('the activation e-mail still goes out exactly once (SDK retries, then the state machine retries)', async () => {
    const body = validRequest();
    // Three throttles exhaust the SDK's attempts, so the workflow's Retry has to do the rest.
    const throttle = throttleMailTo(body.customerEmail, 3);
    const created = await partner.create(body);
    expect(created.status).toBe(202);
    await activationMailArrives(body.customerEmail);
    expect(throttle.spent).toBe(true);
    // The SDK gives up after 3 attempts: the 4th call came from the state machine's Retry.
    expect(sendsTo(body.customerEmail).map((call) => call.outcome)).toEqual([
      'error',
      'error',
      'error',
      'forwarded',
    ]);
    await sleep(200);
    expect(await mailsAbout(stack, body.accountDomain)).toEqual([
      `${body.customerEmail}: activation`,
    ]);
    expect((await partner.get(created.body.id)).body.status).toBe('PENDING_ACTIVATION');
  });

  it('the outcome e-mails go out exactly once each when one recipient is throttled', async () => {
    const pending = await createPending(stack, partner);
    const [, second] = pending.body.userEmails as string[];
    const throttle = throttleMailTo(second as string, 3);
    const page = await decide(pending, 'activate');
    expect(page.status).toBe(200);
    await waitFor(
      async () => (await executionStatus(stack, pending.id)) === 'SUCCEEDED',
      'settled',
    );
    expect(throttle.spent).toBe(true);
    expect(await mailsAbout(stack, pending.body.accountDomain)).toEqual(
      [
        `${pending.body.customerEmail}: activation`,
        `${PARTNER_ONE}: activated`,
        ...(pending.body.userEmails as string[]).map((user) => `${user}: access`),
      ].sort(),
    );
  });

  it('a throttled resend answers 503 with Retry-After instead of a 500, and the retry sends it', async () => {
    const pending = await createPending(stack, partner);
    throttleMailTo(pending.body.customerEmail, 3);
    expectRetryable(await partner.resend(pending.id));
    const retried = await partner.resend(pending.id);
    expect(retried.status).toBe(202);
    expect(await mailTo(stack, pending.body.customerEmail)).toHaveLength(2);
  });
});

const sendsTo = (address: string) =>
  faults
    .calls('ses', 'SendEmail')
    .filter((call) => JSON.stringify(call.body.Destination ?? {}).includes(address));

describe('the Step Functions endpoint goes down and comes back (a restart)', () => {
  it('answers creates with 503 and Retry-After instead of 500s, keeps reads working, stands by stored decisions, and recovers every signal after', async () => {
    const toActivate = await createPending(stack, partner);
    const toCancel = await createPending(stack, partner);
    const later = validRequest();
    await faults.refuseConnections('sfn');

    const creates = await Promise.all(
      Array.from({ length: 5 }, () => partner.create(validRequest())),
    );
    const reads = await Promise.all([
      partner.get(toActivate.id),
      partner.list(),
      fetch(toActivate.link),
    ]);
    const activation = await decide(toActivate, 'activate');
    const cancel = await partner.cancel(toCancel.id);
    const retriedCreate = await partner.create(later);

    const statuses = [...creates, ...reads, activation, cancel, retriedCreate].map((r) => r.status);
    expect(statuses.filter((status) => status >= 500 && status !== 503)).toEqual([]);
    for (const create of [...creates, retriedCreate]) expectRetryable(create, '2');
    expect(reads.map((read) => read.status)).toEqual([200, 200, 200]);
    // The decisions are stored (one arbiter); only telling the workflow failed, which the
    // sweep (or a repeated click) completes: the answers say what is stored.
    expect(activation.status).toBe(200);
    expect(headingOf(activation.html)).toBe('Smart Account activated');
    expect(cancel.status).toBe(200);
    expect(cancel.body.status).toBe('CANCELLED');
    expect((await partner.get(toActivate.id)).body.status).toBe('ACTIVE');
    expect((await partner.get(toCancel.id)).body.status).toBe('CANCELLED');
    expect(await executionStatus(stack, toActivate.id)).toBe('RUNNING');

    await faults.acceptConnections('sfn');
    expect((await partner.create(later)).status).toBe(202);
    const again = await decide(toActivate, 'activate');
    expect(again.status).toBe(200);
    expect(headingOf(again.html)).toBe('Already activated');
    expect((await partner.cancel(toCancel.id)).status).toBe(409);
    for (const pending of [toActivate, toCancel]) {
      await waitFor(
        async () => (await executionStatus(stack, pending.id)) === 'SUCCEEDED',
        'settled',
      );
    }
    await statusBecomes(partner, toActivate.id, 'ACTIVE');
    await sleep(100);
    expect(await mailsAbout(stack, toActivate.body.accountDomain)).toEqual(
      [
        `${toActivate.body.customerEmail}: activation`,
        `${PARTNER_ONE}: activated`,
        ...(toActivate.body.userEmails as string[]).map((user) => `${user}: access`),
      ].sort(),
    );
    expect(await mailsAbout(stack, toCancel.body.accountDomain)).toEqual([
      `${toCancel.body.customerEmail}: activation`,
      `${toCancel.body.customerEmail}: withdrawn`,
    ]);
    // The five creates that met the outage left nothing live behind: their domains are free.
    await activationLink(stack, later.customerEmail);
  });
});

describe('counting under faults', () => {
  const key = (body: Record<string, unknown>) =>
    body.Key as { PK?: { S?: string }; SK?: { S?: string } } | undefined;
  const isCounterWrite = (body: Record<string, unknown>) => key(body)?.SK?.S === 'COUNTS';
  const isCountConfirmation = (body: Record<string, unknown>) =>
    key(body)?.SK?.S === 'REQUEST' && String(body.UpdateExpression).includes('countedStatus');
  const counts = async () =>
    (await partner.call('GET', '/v1/smart-account-requests/counts')).body as Record<string, number>;

  it('a lost reply to the counter and a failed confirmation still count the request once', async () => {
    const before = await counts();
    const lost = faults.inject({
      service: 'dynamodb',
      operation: 'UpdateItem',
      when: isCounterWrite,
      action: { kind: 'lose-reply' },
    });
    const failed = faults.inject({
      service: 'dynamodb',
      operation: 'UpdateItem',
      when: isCountConfirmation,
      times: 3,
      action: { kind: 'error', name: 'InternalServerError' },
    });
    const body = validRequest();

    const created = await partner.create(body);
    expect(created.status, created.text).toBe(202);
    await activationMailArrives(body.customerEmail);
    await waitFor(async () => failed.spent, 'the confirmation to fail three times');
    const after = await waitFor(async () => {
      const now = await counts();
      return now.PENDING_ACTIVATION !== before.PENDING_ACTIVATION && now;
    }, 'the request to be counted');
    await sleep(300);

    expect(lost.hits).toBe(1);
    expect(await counts()).toEqual({
      ...before,
      PENDING_ACTIVATION: (before.PENDING_ACTIVATION ?? 0) + 1,
    });
    expect(after.PENDING_ACTIVATION).toBe((before.PENDING_ACTIVATION ?? 0) + 1);
  });
});
