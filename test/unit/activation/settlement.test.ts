import {
  MessageRejected,
  SESv2Client,
  SendEmailCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SesMailer } from '../../../functions/adapters/ses-mailer.ts';
import { closeFromWorkflow } from '../../../functions/domain/closing.ts';
import { Notifications } from '../../../functions/domain/notifications.ts';
import { Settlement } from '../../../functions/domain/settlement.ts';
import type { SmartAccountRequest } from '../../../functions/domain/smart-account-request.ts';
import { EmailThrottled, NotFound } from '../../../functions/shared/errors.ts';
import { logger } from '../../../functions/shared/logger.ts';
import type { RequestStatus } from '../../../functions/shared/status.ts';
import { InMemoryStatusCounts } from '../../support/in-memory-counts.ts';
import {
  aRequest,
  InMemoryDomainLocks,
  InMemoryPartnerStore,
  InMemoryRequestStore,
  NOW,
  PARTNER,
} from '../../support/in-memory-stores.ts';

const sesClient = new SESv2Client({ region: 'us-east-1' });
const ses = mockClient(sesClient);

let store: InMemoryRequestStore;
let locks: InMemoryDomainLocks;
let settlement: Settlement;

const recipients = () =>
  ses.commandCalls(SendEmailCommand).map((call) => call.args[0].input.Destination?.ToAddresses);

const subjects = () =>
  ses
    .commandCalls(SendEmailCommand)
    .map((call) => call.args[0].input.Content?.Simple?.Subject?.Data);

const closed = (status: RequestStatus, overrides: Partial<SmartAccountRequest> = {}) => {
  const request = aRequest({ status, ...overrides });
  store.put(request);
  return request;
};

afterEach(() => {
  vi.restoreAllMocks();
});

beforeEach(() => {
  ses.reset();
  ses.on(SendEmailCommand).resolves({ MessageId: 'message-1' });
  store = new InMemoryRequestStore();
  locks = new InMemoryDomainLocks();
  settlement = new Settlement(
    store,
    new InMemoryPartnerStore(),
    new Notifications(new SesMailer(sesClient, 'no-reply@accounts.example')),
    new InMemoryStatusCounts(store),
    locks,
  );
});

describe('settling an outcome', () => {
  it('marks the domain lock of an activated account, so it outlives the request', async () => {
    const request = closed('ACTIVE', { activatedAt: '2026-12-01T10:00:00.000Z' });
    const other = closed('CANCELLED', { id: 'sar_OTHER', accountDomain: 'other.example' });
    await locks.take({
      domain: request.accountDomain,
      requestId: request.id,
      lockedAt: '2026-12-01T09:00:00.000Z',
    });
    await locks.take({
      domain: other.accountDomain,
      requestId: other.id,
      lockedAt: '2026-12-01T09:00:00.000Z',
    });

    await settlement.settle(request.id);
    await settlement.settle(other.id);

    expect((await locks.get(request.accountDomain))?.activatedAt).toBe('2026-12-01T10:00:00.000Z');
    expect((await locks.get(other.accountDomain))?.activatedAt).toBeUndefined();
  });

  it('mails the partner and each user once when the request was activated', async () => {
    const request = closed('ACTIVE');

    expect(await settlement.settle(request.id)).toBe('ACTIVE');

    expect(recipients()).toEqual([[PARTNER.contactEmail], ['a@acme.example'], ['b@acme.example']]);
    expect(subjects()[0]).toMatch(/^Smart Account activated: Acme BV/);
    expect(subjects()[1]).toMatch(/^You now have access/);
    expect((await store.get(request.id))?.notifiedStatus).toBe('ACTIVE');
  });

  it.each([
    ['DECLINED', [[PARTNER.contactEmail]]],
    ['CANCELLED', [['it@acme.example']]],
    ['EXPIRED', [['it@acme.example'], [PARTNER.contactEmail]]],
    ['FAILED', [[PARTNER.contactEmail]]],
  ] as const)('mails who the contract names when the request is %s', async (status, expected) => {
    const request = closed(status, { activationSentAt: NOW.toISOString() });

    expect(await settlement.settle(request.id)).toBe(status);

    expect(recipients()).toEqual(expected);
    expect((await store.get(request.id))?.notifiedStatus).toBe(status);
  });

  it('sends no withdrawal to a customer whose activation e-mail had not gone out yet', async () => {
    const request = closed('CANCELLED');

    expect(await settlement.settle(request.id)).toBe('CANCELLED');

    expect(ses.calls()).toHaveLength(0);
    expect((await store.get(request.id))?.notifiedStatus).toBe('CANCELLED');
  });

  it('mails nothing for a failure the partner already learned about from the API', async () => {
    const request = closed('FAILED', { closeReason: 'ExecutionNotStarted' });

    await settlement.settle(request.id);

    expect(ses.calls()).toHaveLength(0);
  });

  it('never mails an outcome twice when Settle runs again', async () => {
    const request = closed('ACTIVE');

    await settlement.settle(request.id);
    await settlement.settle(request.id);

    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 3);
  });

  it('sends nothing while the request is still pending', async () => {
    const request = closed('PENDING_ACTIVATION');

    expect(await settlement.settle(request.id)).toBe('PENDING_ACTIVATION');
    expect(ses.calls()).toHaveLength(0);
    expect(store.calls).not.toContain('markNotified PENDING_ACTIVATION');
  });

  it('retries after a throttle and sends only what is missing', async () => {
    const request = closed('ACTIVE');
    ses
      .on(SendEmailCommand)
      .resolvesOnce({ MessageId: 'to-partner' })
      .rejectsOnce(new TooManyRequestsException({ message: 'slow down', $metadata: {} }))
      .resolves({ MessageId: 'later' });

    await expect(settlement.settle(request.id)).rejects.toBeInstanceOf(EmailThrottled);
    expect((await store.get(request.id))?.notifiedStatus).toBeUndefined();
    await settlement.settle(request.id);

    expect(recipients()).toEqual([
      [PARTNER.contactEmail],
      ['a@acme.example'],
      ['a@acme.example'],
      ['b@acme.example'],
    ]);
    const delivered = ses
      .commandCalls(SendEmailCommand)
      .filter((_call, index) => index !== 1)
      .map((call) => call.args[0].input.Destination?.ToAddresses?.[0]);
    expect(delivered).toEqual([PARTNER.contactEmail, 'a@acme.example', 'b@acme.example']);
    expect((await store.get(request.id))?.notifiedStatus).toBe('ACTIVE');
  });

  it('still mails everyone else when SES refuses one address for good, and logs it masked', async () => {
    const request = closed('ACTIVE');
    const warned = vi.spyOn(logger, 'warn').mockImplementation(() => {});
    ses
      .on(SendEmailCommand, { Destination: { ToAddresses: ['a@acme.example'] } })
      .rejects(new MessageRejected({ message: 'Address suppressed', $metadata: {} }));

    expect(await settlement.settle(request.id)).toBe('ACTIVE');

    expect(recipients()).toEqual([[PARTNER.contactEmail], ['a@acme.example'], ['b@acme.example']]);
    expect((await store.get(request.id))?.notifiedStatus).toBe('ACTIVE');
    await settlement.settle(request.id);
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 3);
    expect(warned).toHaveBeenCalledTimes(1);
    expect(warned).toHaveBeenCalledWith('outcome e-mail refused', {
      requestId: request.id,
      to: 'a***@acme.example',
      kind: 'ACTIVATED_USER',
    });
  });

  it('throws NotFound for a request that does not exist', async () => {
    await expect(settlement.settle('sar_missing')).rejects.toBeInstanceOf(NotFound);
  });
});

/** After the fixture's expiresAt (2027-02-23T10:00Z). */
const AFTER_EXPIRY = new Date('2027-02-23T10:00:01.000Z');

describe('closing from the workflow (timer or undeliverable mail)', () => {
  it('expires a request that is still pending once its expiresAt has passed', async () => {
    closed('PENDING_ACTIVATION');

    const outcome = await closeFromWorkflow(
      store,
      'sar_01TEST',
      'EXPIRED',
      'ActivationTimeout',
      AFTER_EXPIRY,
    );

    expect(outcome).toEqual({
      status: 'EXPIRED',
      won: true,
      plan: { action: 'SETTLE', waitSeconds: 1, wakeAt: null },
    });
    expect(await store.get('sar_01TEST')).toMatchObject({
      status: 'EXPIRED',
      closeReason: 'ActivationTimeout',
      closedAt: expect.any(String),
    });
  });

  it('loses to an activation that won the write as the timer fired, and reports ACTIVE', async () => {
    closed('ACTIVE');

    const outcome = await closeFromWorkflow(
      store,
      'sar_01TEST',
      'EXPIRED',
      'ActivationTimeout',
      AFTER_EXPIRY,
    );

    expect(outcome).toMatchObject({ status: 'ACTIVE', won: false, plan: { action: 'SETTLE' } });
    expect((await store.get('sar_01TEST'))?.status).toBe('ACTIVE');
  });

  it('loses to an extension written after Wake read the request, and plans the new wait', async () => {
    closed('PENDING_ACTIVATION', { expiresAt: '2027-03-23T10:00:00.000Z' });

    const outcome = await closeFromWorkflow(
      store,
      'sar_01TEST',
      'EXPIRED',
      'ActivationTimeout',
      AFTER_EXPIRY,
    );

    expect(outcome).toMatchObject({
      status: 'PENDING_ACTIVATION',
      won: false,
      plan: { action: 'WAIT', wakeAt: '2027-03-23T10:00:00.000Z' },
    });
    expect((await store.get('sar_01TEST'))?.status).toBe('PENDING_ACTIVATION');
  });

  it('then mails the activation and no expiry', async () => {
    closed('PENDING_ACTIVATION');
    await store.close('sar_01TEST', 'ACTIVE');

    const outcome = await closeFromWorkflow(store, 'sar_01TEST', 'EXPIRED', 'ActivationTimeout');
    await settlement.settle('sar_01TEST');

    expect(outcome.status).toBe('ACTIVE');
    expect(subjects().some((subject) => /expired/i.test(subject ?? ''))).toBe(false);
    expect(subjects()[0]).toMatch(/^Smart Account activated/);
  });

  it('throws NotFound when the request is gone', async () => {
    await expect(
      closeFromWorkflow(store, 'sar_missing', 'FAILED', 'EmailRejected'),
    ).rejects.toBeInstanceOf(NotFound);
  });
});
