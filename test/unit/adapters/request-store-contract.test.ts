import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDomainLocks } from '../../../functions/adapters/dynamo-domain-locks.ts';
import { DynamoRequestStore } from '../../../functions/adapters/dynamo-request-store.ts';
import type { DomainLock } from '../../../functions/domain/domain-lock.ts';
import type { DomainLocks, RequestStore, Workflow } from '../../../functions/domain/ports.ts';
import { RequestIntake } from '../../../functions/domain/request-intake.ts';
import type { SmartAccountRequest } from '../../../functions/domain/smart-account-request.ts';
import { newRequestId } from '../../../functions/shared/crypto.ts';
import { DomainTaken, ValidationFailed } from '../../../functions/shared/errors.ts';
import { type DynaliteTable, startDynaliteTable } from '../../support/dynalite-table.ts';
import {
  aRequest,
  InMemoryDomainLocks,
  InMemoryRequestStore,
  NOW,
} from '../../support/in-memory-stores.ts';

/**
 * The same store cases against the in-memory fake the domain tests use and against the real
 * adapters on dynalite: if the fake drifts from DynamoDB's behaviour, one of the two fails.
 */

interface Backend {
  readonly requests: RequestStore;
  readonly locks: DomainLocks;
}

let clock = NOW;
/** A wait's schedule; the cases below are about its token, code and nonce. */
const WAIT = { wakeAt: '2027-02-23T10:00:00.000Z', sweepAt: '2027-02-23T10:15:00.000Z' };
const now = () => clock;
const minutesLater = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

let table: DynaliteTable | undefined;

beforeAll(async () => {
  table = await startDynaliteTable();
});

afterAll(async () => {
  await table?.stop();
});

const backends: [string, () => Backend][] = [
  [
    'the in-memory fake',
    () => {
      const requests = new InMemoryRequestStore();
      requests.now = now;
      return { requests, locks: new InMemoryDomainLocks() };
    },
  ],
  [
    'DynamoDB (dynalite)',
    () => {
      if (!table) throw new Error('dynalite did not start');
      return {
        requests: new DynamoRequestStore(table.documents, table.tableName, { now }),
        locks: new DynamoDomainLocks(table.documents, table.tableName),
      };
    },
  ],
];

let sequence = 0;
/** Every case gets its own ids, domain and partner: the dynalite table is shared. */
const unique = () => `${process.pid}-${++sequence}`;

const newRequest = (overrides: Partial<SmartAccountRequest> = {}): SmartAccountRequest => {
  const n = unique();
  return aRequest({
    id: newRequestId(),
    accountDomain: `acme-${n}.example`,
    partnerId: `partner-${n}`,
    ...overrides,
  });
};

const neverStarting: Workflow = {
  start: async () => {},
  isRunning: async () => true,
  resume: async () => true,
  abort: async () => true,
};

describe.each(backends)('the request store on %s', (_name, open) => {
  let requests: RequestStore;
  let locks: DomainLocks;

  beforeEach(() => {
    clock = NOW;
    ({ requests, locks } = open());
  });

  const stored = async (overrides: Partial<SmartAccountRequest> = {}) => {
    const request = newRequest(overrides);
    await requests.insert(request);
    return request;
  };

  describe('storing requests', () => {
    it('reads a stored request back exactly as it was written, with no key attributes', async () => {
      const request = await stored();

      expect(await requests.get(request.id)).toEqual(request);
    });

    it('treats a retried insert of the same request as stored, once', async () => {
      const request = await stored();

      await requests.insert(request);

      expect(await requests.get(request.id)).toEqual(request);
    });

    it('answers undefined for a request that does not exist', async () => {
      expect(await requests.get(newRequestId())).toBeUndefined();
    });
  });

  describe('closing: the one arbiter', () => {
    it('lets the first close win and tells every later one who won', async () => {
      const request = await stored();

      const cancelled = await requests.close(request.id, 'CANCELLED', {
        reason: 'CancelledByPartner',
      });
      const expired = await requests.close(request.id, 'EXPIRED', { reason: 'ActivationTimeout' });

      expect(cancelled?.won).toBe(true);
      expect(expired).toEqual({ won: false, request: cancelled?.request });
      expect(await requests.get(request.id)).toEqual(cancelled?.request);
    });

    it('stamps an activation in activatedAt and any other close in closedAt, with its history', async () => {
      const toActivate = await stored();
      const toDecline = await stored();
      clock = minutesLater(5);

      const activated = await requests.close(toActivate.id, 'ACTIVE');
      const declined = await requests.close(toDecline.id, 'DECLINED', {
        reason: 'DeclinedByCustomer',
      });

      const at = clock.toISOString();
      expect(activated?.request).toMatchObject({
        status: 'ACTIVE',
        activatedAt: at,
        closedAt: null,
        closeReason: null,
      });
      expect(declined?.request).toMatchObject({
        status: 'DECLINED',
        activatedAt: null,
        closedAt: at,
        closeReason: 'DeclinedByCustomer',
      });
      expect(declined?.request.history).toEqual([...toDecline.history, { status: 'DECLINED', at }]);
    });

    it('uses the time it is given rather than its own clock', async () => {
      const request = await stored();
      const at = minutesLater(90);

      const outcome = await requests.close(request.id, 'EXPIRED', { at });

      expect(outcome?.request.closedAt).toBe(at.toISOString());
    });

    it("hides another partner's request and a missing one behind undefined", async () => {
      const request = await stored();

      expect(
        await requests.close(request.id, 'CANCELLED', { partnerId: 'someone-else' }),
      ).toBeUndefined();
      expect(await requests.close(newRequestId(), 'CANCELLED')).toBeUndefined();
      expect((await requests.get(request.id))?.status).toBe('PENDING_ACTIVATION');
      expect(
        (await requests.close(request.id, 'CANCELLED', { partnerId: request.partnerId }))?.won,
      ).toBe(true);
    });

    it('expires only once expiresAt has passed by the time given, and moves an expiry only from the one checked', async () => {
      const request = await stored();
      const early = new Date(Date.parse(request.expiresAt) - 1_000);
      const lost = await requests.close(request.id, 'EXPIRED', { dueBy: early });
      expect(lost).toMatchObject({ won: false, request: { status: 'PENDING_ACTIVATION' } });

      const later = new Date(Date.parse(request.expiresAt) + 86_400_000).toISOString();
      const move = { to: later, nextReminderAt: null };
      expect(await requests.extend(request.id, { ...move, from: later })).toBeUndefined();
      expect(
        (await requests.extend(request.id, { ...move, from: request.expiresAt }))?.expiresAt,
      ).toBe(later);
      expect(
        (await requests.close(request.id, 'EXPIRED', { dueBy: new Date(request.expiresAt) }))?.won,
      ).toBe(false);
      expect((await requests.close(request.id, 'EXPIRED', { dueBy: new Date(later) }))?.won).toBe(
        true,
      );
      expect(await requests.extend(request.id, { ...move, from: later })).toBeUndefined();
    });

    it('moves the reminder plan with an extension', async () => {
      const request = await stored({ nextReminderAt: '2027-01-24T10:00:00.000Z' });
      const later = '2027-05-23T10:00:00.000Z';

      const extended = await requests.extend(request.id, {
        from: request.expiresAt,
        to: later,
        nextReminderAt: '2027-03-24T10:00:00.000Z',
      });

      expect(extended).toMatchObject({
        expiresAt: later,
        nextReminderAt: '2027-03-24T10:00:00.000Z',
      });
    });

    it("stores the customer's reason with a decline, and none with any other close", async () => {
      const declined = await stored();
      const cancelled = await stored();

      const outcome = await requests.close(declined.id, 'DECLINED', {
        declineReason: 'Wrong company',
      });
      await requests.close(cancelled.id, 'CANCELLED', { declineReason: 'ignored' });

      expect(outcome?.request.declineReason).toBe('Wrong company');
      expect((await requests.get(declined.id))?.declineReason).toBe('Wrong company');
      expect((await requests.get(cancelled.id))?.declineReason).toBeNull();
    });

    it('closes an unstarted request only while no execution stored a task token', async () => {
      const unstarted = await stored();
      const started = await stored();
      await requests.attachActivation(started.id, {
        ...WAIT,
        taskToken: 'token',
        codeHash: `hash-${unique()}`,
        codeNonce: 'nonce',
      });

      const failed = await requests.close(unstarted.id, 'FAILED', { unstartedOnly: true });
      const kept = await requests.close(started.id, 'FAILED', { unstartedOnly: true });

      expect(failed?.won).toBe(true);
      expect(kept).toMatchObject({ won: false, request: { status: 'PENDING_ACTIVATION' } });
    });
  });

  describe('the activation link', () => {
    it('stores the task token and code hash of a pending request and finds it by the hash', async () => {
      const request = await stored();
      const codeHash = `hash-${unique()}`;

      const attached = await requests.attachActivation(request.id, {
        ...WAIT,
        taskToken: 'token-1',
        codeHash,
        codeNonce: 'nonce-1',
      });

      expect(attached).toMatchObject({
        ...WAIT,
        taskToken: 'token-1',
        codeHash,
        codeNonce: 'nonce-1',
      });
      expect(await requests.findByCodeHash(codeHash)).toEqual(attached);
      expect(await requests.findByCodeHash(`hash-${unique()}`)).toBeUndefined();
    });

    it('keeps the first nonce: a retry with it replaces the token, another nonce is refused', async () => {
      const request = await stored();
      const codeHash = `hash-${unique()}`;
      await requests.attachActivation(request.id, {
        ...WAIT,
        taskToken: 't1',
        codeHash,
        codeNonce: 'n1',
      });

      const retried = await requests.attachActivation(request.id, {
        ...WAIT,
        taskToken: 't2',
        codeHash,
        codeNonce: 'n1',
      });
      const other = await requests.attachActivation(request.id, {
        ...WAIT,
        taskToken: 't3',
        codeHash: `hash-${unique()}`,
        codeNonce: 'n2',
      });

      expect(retried?.taskToken).toBe('t2');
      expect(other).toBeUndefined();
      expect(await requests.get(request.id)).toMatchObject({
        ...WAIT,
        taskToken: 't2',
        codeNonce: 'n1',
      });
    });

    it('corrects a pending request for its partner, and replaces its link so the old one stops resolving', async () => {
      const request = await stored({ activationSentAt: NOW.toISOString() });
      const oldHash = `hash-${unique()}`;
      await requests.attachActivation(request.id, {
        ...WAIT,
        taskToken: 'token-1',
        codeHash: oldHash,
        codeNonce: 'nonce-1',
      });
      const newHash = `hash-${unique()}`;

      const corrected = await requests.correct(request.id, {
        partnerId: request.partnerId,
        fields: { customerEmail: 'new@acme.example', noteToCustomer: null },
        seenNonce: 'nonce-1',
        newLink: { codeNonce: 'nonce-2', codeHash: newHash, replaces: oldHash },
      });

      expect(corrected).toMatchObject({
        customerEmail: 'new@acme.example',
        noteToCustomer: null,
        codeNonce: 'nonce-2',
        codeHash: newHash,
        taskToken: 'token-1',
      });
      // The new link is not mailed yet.
      expect(corrected?.activationSentAt).toBeUndefined();
      expect(await requests.findByCodeHash(oldHash)).toBeUndefined();
      expect((await requests.findByCodeHash(newHash))?.customerEmail).toBe('new@acme.example');
      // The old link cannot decide it either, even for someone who read it before the change.
      expect(await requests.close(request.id, 'ACTIVE', { codeHash: oldHash })).toMatchObject({
        won: false,
        request: { status: 'PENDING_ACTIVATION' },
      });
      expect((await requests.close(request.id, 'ACTIVE', { codeHash: newHash }))?.won).toBe(true);
    });

    it('refuses a correction of a closed request, of another partner, or against a link that changed', async () => {
      const request = await stored();
      const change = { fields: { locale: 'nl' as const }, seenNonce: undefined };
      expect(
        await requests.correct(request.id, { ...change, partnerId: 'someone-else' }),
      ).toBeUndefined();
      await requests.attachActivation(request.id, {
        ...WAIT,
        taskToken: 'token-1',
        codeHash: `hash-${unique()}`,
        codeNonce: 'nonce-1',
      });
      // Planned before the execution fixed the first link: planned again by the caller.
      expect(
        await requests.correct(request.id, { ...change, partnerId: request.partnerId }),
      ).toBeUndefined();
      expect(
        await requests.correct(request.id, {
          ...change,
          partnerId: request.partnerId,
          seenNonce: 'nonce-1',
        }),
      ).toMatchObject({ locale: 'nl', codeNonce: 'nonce-1' });

      await requests.close(request.id, 'CANCELLED');
      expect(
        await requests.correct(request.id, {
          ...change,
          partnerId: request.partnerId,
          seenNonce: 'nonce-1',
        }),
      ).toBeUndefined();
    });

    it('attaches nothing to a closed or missing request', async () => {
      const request = await stored();
      await requests.close(request.id, 'CANCELLED');
      const activation = { ...WAIT, taskToken: 't', codeHash: `hash-${unique()}`, codeNonce: 'n' };

      expect(await requests.attachActivation(request.id, activation)).toBeUndefined();
      expect(await requests.attachActivation(newRequestId(), activation)).toBeUndefined();
      expect((await requests.get(request.id))?.taskToken).toBeUndefined();
    });
  });

  describe('resends', () => {
    const attached = async () => {
      const request = await stored();
      await requests.attachActivation(request.id, {
        ...WAIT,
        taskToken: 't',
        codeHash: `hash-${unique()}`,
        codeNonce: 'n',
      });
      return request;
    };

    it('does not count a resend before the first e-mail fixed the link', async () => {
      const request = await stored();

      expect(await requests.countResend(request.id, request.partnerId, 5)).toEqual({
        ok: false,
        request,
      });
    });

    it('counts resends up to the limit, then reports the request unchanged', async () => {
      const request = await attached();

      const first = await requests.countResend(request.id, request.partnerId, 2);
      const second = await requests.countResend(request.id, request.partnerId, 2);
      const third = await requests.countResend(request.id, request.partnerId, 2);

      expect([first.ok, second.ok, third.ok]).toEqual([true, true, false]);
      expect(third.request?.resendCount).toBe(2);
    });

    it("hides another partner's request and reports a closed one without counting", async () => {
      const request = await attached();

      expect(await requests.countResend(request.id, 'someone-else', 5)).toEqual({ ok: false });
      expect(await requests.countResend(newRequestId(), request.partnerId, 5)).toEqual({
        ok: false,
      });
      await requests.close(request.id, 'EXPIRED');
      const closed = await requests.countResend(request.id, request.partnerId, 5);
      expect(closed).toMatchObject({ ok: false, request: { status: 'EXPIRED', resendCount: 0 } });
    });
  });

  describe('settling', () => {
    it('records each sent e-mail key once', async () => {
      const request = await stored({ status: 'ACTIVE' });

      await requests.recordSentEmail(request.id, 'activated-partner');
      await requests.recordSentEmail(request.id, 'activated-user:a@acme.example');
      await requests.recordSentEmail(request.id, 'activated-partner');

      expect((await requests.get(request.id))?.sentEmails).toEqual(
        new Set(['activated-partner', 'activated-user:a@acme.example']),
      );
    });

    it('appends each change to the outbox in its own write, and clears only what was published', async () => {
      const request = await stored({
        pendingEvents: [
          {
            id: 'evt_created',
            type: 'smart_account_request.created',
            createdAt: NOW.toISOString(),
          },
        ],
        nextReminderAt: '2027-01-24T10:00:00.000Z',
      });
      await requests.extend(request.id, {
        from: request.expiresAt,
        to: '2027-03-23T10:00:00.000Z',
        nextReminderAt: null,
      });
      await requests.recordReminder(request.id, 'reminder:2027-01-24T10:00:00.000Z');
      await requests.correct(request.id, {
        partnerId: request.partnerId,
        fields: { locale: 'nl' },
        seenNonce: undefined,
      });
      await requests.close(request.id, 'ACTIVE');
      const types = (await requests.get(request.id))?.pendingEvents?.map((event) => event.type);
      expect(types).toEqual([
        'smart_account_request.created',
        'smart_account_request.updated',
        'smart_account_request.reminder_sent',
        'smart_account_request.updated',
        'smart_account_request.activated',
      ]);

      const ids = (await requests.get(request.id))?.pendingEvents?.map((event) => event.id) ?? [];
      // Another publisher's stale view does not remove anything.
      await requests.clearPendingEvents(request.id, ['evt_other']);
      expect((await requests.get(request.id))?.pendingEvents).toHaveLength(5);
      await requests.clearPendingEvents(request.id, ids.slice(0, 2));
      expect((await requests.get(request.id))?.pendingEvents?.map((event) => event.id)).toEqual(
        ids.slice(2),
      );
    });

    it('counts a reminder once per key, and records its key with the sent e-mails', async () => {
      const request = await stored({ remindersSent: 0 });

      await requests.recordReminder(request.id, 'reminder:2027-01-24T10:00:00.000Z');
      await requests.recordReminder(request.id, 'reminder:2027-01-24T10:00:00.000Z');
      await requests.recordReminder(request.id, 'reminder:2027-02-16T10:00:00.000Z');

      const reminded = await requests.get(request.id);
      expect(reminded?.remindersSent).toBe(2);
      expect(reminded?.sentEmails).toEqual(
        new Set(['reminder:2027-01-24T10:00:00.000Z', 'reminder:2027-02-16T10:00:00.000Z']),
      );
    });

    it('plans the next reminder only from the one it handled, and only while pending', async () => {
      const first = '2027-01-24T10:00:00.000Z';
      const request = await stored({ nextReminderAt: first });

      await requests.planNextReminder(request.id, { from: '2027-01-01T10:00:00.000Z', to: null });
      expect((await requests.get(request.id))?.nextReminderAt).toBe(first);
      await requests.planNextReminder(request.id, { from: first, to: '2027-02-16T10:00:00.000Z' });
      expect((await requests.get(request.id))?.nextReminderAt).toBe('2027-02-16T10:00:00.000Z');

      const closed = await stored({ nextReminderAt: first });
      await requests.close(closed.id, 'CANCELLED');
      await requests.planNextReminder(closed.id, { from: first, to: null });
      expect((await requests.get(closed.id))?.nextReminderAt).toBe(first);
    });

    it('does not bring a missing request into being by recording an e-mail for it', async () => {
      const id = newRequestId();

      await requests.recordSentEmail(id, 'expired-partner');

      expect(await requests.get(id)).toBeUndefined();
    });

    it('marks a status notified once, and only the status the request has', async () => {
      const request = await stored({ status: 'EXPIRED' });

      expect(await requests.markNotified(request.id, 'ACTIVE')).toBe(false);
      expect(await requests.markNotified(request.id, 'EXPIRED')).toBe(true);
      expect(await requests.markNotified(request.id, 'EXPIRED')).toBe(false);
      expect((await requests.get(request.id))?.notifiedStatus).toBe('EXPIRED');
      expect(await requests.markNotified(newRequestId(), 'EXPIRED')).toBe(false);
    });

    it('dates the deletion when it marks it: out of the sweep, or kept there until then for the sweep to delete', async () => {
      const retainUntil = '2028-01-05T00:00:00.000Z';
      const leaving = await stored({ status: 'EXPIRED', sweepAt: '2026-12-01T00:00:00.000Z' });
      const staying = await stored({ status: 'EXPIRED', sweepAt: '2026-12-01T00:00:00.000Z' });

      await requests.markNotified(leaving.id, 'EXPIRED', { retainUntil, bySweep: false });
      await requests.markNotified(staying.id, 'EXPIRED', { retainUntil, bySweep: true });

      expect(await requests.get(leaving.id)).toMatchObject({
        retainUntil,
        notifiedStatus: 'EXPIRED',
      });
      expect((await requests.get(leaving.id))?.sweepAt).toBeUndefined();
      expect(await requests.get(staying.id)).toMatchObject({ retainUntil, sweepAt: retainUntil });
    });
  });

  describe('listing', () => {
    /** Five requests of one partner a minute apart, and one of another partner. */
    const listed = async () => {
      const partnerId = `partner-${unique()}`;
      const ids: string[] = [];
      for (let minute = 0; minute < 5; minute++) {
        const request = newRequest({
          partnerId,
          createdAt: minutesLater(minute).toISOString(),
          status: minute % 2 ? 'CANCELLED' : 'PENDING_ACTIVATION',
        });
        await requests.insert(request);
        ids.unshift(request.id);
      }
      await requests.insert(newRequest());
      return { partnerId, newestFirst: ids };
    };

    it("pages a partner's requests newest first, without overlap or gaps, ending with a null cursor", async () => {
      const { partnerId, newestFirst } = await listed();

      const seen: string[] = [];
      const cursors: (string | null)[] = [];
      let cursor: string | undefined;
      do {
        const page = await requests.listByPartner(partnerId, { limit: 2, cursor });
        seen.push(...page.items.map((item) => item.id));
        cursors.push(page.nextCursor);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);

      expect(seen).toEqual(newestFirst);
      expect(cursors.map((next) => next === null)).toEqual([false, false, true]);
    });

    it('filters by status', async () => {
      const { partnerId, newestFirst } = await listed();

      const page = await requests.listByPartner(partnerId, { limit: 10, status: 'CANCELLED' });

      expect(page.items.map((item) => item.id)).toEqual([newestFirst[1], newestFirst[3]]);
      expect(page.nextCursor).toBeNull();
    });

    it("refuses another partner's cursor and a tampered one with ValidationFailed", async () => {
      const { partnerId } = await listed();
      const { nextCursor } = await requests.listByPartner(partnerId, { limit: 1 });

      await expect(
        requests.listByPartner('someone-else', { limit: 1, cursor: nextCursor ?? '' }),
      ).rejects.toBeInstanceOf(ValidationFailed);
      await expect(
        requests.listByPartner(partnerId, { limit: 1, cursor: 'not-a-cursor' }),
      ).rejects.toBeInstanceOf(ValidationFailed);
      await expect(
        requests.listByPartner(partnerId, {
          limit: 1,
          cursor: Buffer.from(JSON.stringify({ PK: 'REQUEST#', SK: 'REQUEST' })).toString(
            'base64url',
          ),
        }),
      ).rejects.toBeInstanceOf(ValidationFailed);
    });
  });

  describe('filtered lists', () => {
    const day = (n: number) => new Date(NOW.getTime() + n * 86_400_000).toISOString();
    const STATUSES = ['PENDING_ACTIVATION', 'ACTIVE', 'CANCELLED', 'EXPIRED'] as const;

    /**
     * 24 requests of one partner: four domains, three customers (one written in capitals), four
     * statuses and expiries spread over 24 days, none in creation order; and one request of
     * another partner that matches every filter.
     */
    const population = async () => {
      const partnerId = `partner-${unique()}`;
      const n = unique();
      const all: SmartAccountRequest[] = [];
      for (let i = 0; i < 24; i++) {
        const request = newRequest({
          partnerId,
          accountDomain: `d${i % 4}-${n}.example`,
          customerEmail: i % 3 === 0 ? `Pat-${n}@Example.com` : `c${i % 3}-${n}@example.com`,
          status: STATUSES[(i * 7) % 4],
          createdAt: minutesLater(i).toISOString(),
          expiresAt: day((i * 5) % 24),
        });
        await requests.insert(request);
        all.push(request);
      }
      await requests.insert(
        newRequest({
          accountDomain: `d0-${n}.example`,
          customerEmail: `pat-${n}@example.com`,
          status: 'ACTIVE',
          expiresAt: day(1),
        }),
      );
      return { partnerId, n, all };
    };

    const pageThrough = async (partnerId: string, filter: Record<string, string>, limit = 3) => {
      const pages: { ids: string[]; last: boolean }[] = [];
      let cursor: string | undefined;
      do {
        const page = await requests.listByPartner(partnerId, { ...filter, limit, cursor });
        pages.push({ ids: page.items.map((item) => item.id), last: page.nextCursor === null });
        cursor = page.nextCursor ?? undefined;
      } while (cursor && pages.length < 30);
      return pages;
    };

    it('answers each filter and their combinations exactly, every page full but the last', async () => {
      const { partnerId, n, all } = await population();
      const byCreation = (a: SmartAccountRequest, b: SmartAccountRequest) =>
        a.createdAt < b.createdAt ? 1 : -1;
      const byExpiry = (a: SmartAccountRequest, b: SmartAccountRequest) =>
        a.expiresAt < b.expiresAt ? 1 : -1;
      const cases: { filter: Record<string, string>; want: (r: SmartAccountRequest) => boolean }[] =
        [
          { filter: { status: 'ACTIVE' }, want: (r) => r.status === 'ACTIVE' },
          {
            filter: { accountDomain: `d1-${n}.example` },
            want: (r) => r.accountDomain === `d1-${n}.example`,
          },
          {
            filter: { customerEmail: `pat-${n}@example.com` },
            want: (r) => r.customerEmail === `Pat-${n}@Example.com`,
          },
          { filter: { expiresBefore: day(9) }, want: (r) => r.expiresAt < day(9) },
          {
            filter: { status: 'PENDING_ACTIVATION', expiresBefore: day(13) },
            want: (r) => r.status === 'PENDING_ACTIVATION' && r.expiresAt < day(13),
          },
          {
            filter: { accountDomain: `d0-${n}.example`, customerEmail: `pat-${n}@example.com` },
            want: (r) => r.accountDomain === `d0-${n}.example` && r.customerEmail.startsWith('Pat'),
          },
          {
            filter: {
              customerEmail: `c1-${n}@example.com`,
              status: 'CANCELLED',
              expiresBefore: day(20),
            },
            want: (r) =>
              r.customerEmail === `c1-${n}@example.com` &&
              r.status === 'CANCELLED' &&
              r.expiresAt < day(20),
          },
          { filter: { status: 'DECLINED' }, want: () => false },
        ];
      for (const { filter, want } of cases) {
        const byIndex = filter.expiresBefore && !filter.accountDomain && !filter.customerEmail;
        const expected = all
          .filter(want)
          .sort(byIndex ? byExpiry : byCreation)
          .map((r) => r.id);
        const pages = await pageThrough(partnerId, filter);

        expect(
          pages.flatMap((page) => page.ids),
          JSON.stringify(filter),
        ).toEqual(expected);
        expect(pages.at(-1)?.last).toBe(true);
        for (const page of pages.slice(0, -1)) expect(page.ids).toHaveLength(3);
        // Only an empty list has an empty page.
        if (expected.length > 0) expect(pages.at(-1)?.ids.length).toBeGreaterThan(0);
      }
    });

    it("follows a request's changes: a close, a new customer address, an extension", async () => {
      const { partnerId, n } = await population();
      const request = newRequest({
        partnerId,
        accountDomain: `moving-${n}.example`,
        customerEmail: `old-${n}@example.com`,
        expiresAt: day(2),
      });
      await requests.insert(request);
      const ids = async (filter: Record<string, string>) =>
        (await pageThrough(partnerId, filter, 100)).flatMap((page) => page.ids);

      await requests.correct(request.id, {
        partnerId,
        fields: { customerEmail: `new-${n}@example.com` },
        seenNonce: undefined,
      });
      await requests.extend(request.id, { from: day(2), to: day(30), nextReminderAt: null });
      await requests.close(request.id, 'CANCELLED', { partnerId });

      expect(await ids({ customerEmail: `old-${n}@example.com` })).toEqual([]);
      expect(await ids({ customerEmail: `new-${n}@example.com` })).toEqual([request.id]);
      expect(await ids({ expiresBefore: day(3), accountDomain: `moving-${n}.example` })).toEqual(
        [],
      );
      expect(await ids({ expiresBefore: day(31), accountDomain: `moving-${n}.example` })).toEqual([
        request.id,
      ]);
      expect(await ids({ status: 'PENDING_ACTIVATION' })).not.toContain(request.id);
      expect(await ids({ status: 'CANCELLED' })).toContain(request.id);
      expect(await ids({ status: 'CANCELLED', expiresBefore: day(31) })).toContain(request.id);
    });

    it('pages 100 at a time through more than 100 matches', async () => {
      const partnerId = `partner-${unique()}`;
      for (let i = 0; i < 103; i++) {
        await requests.insert(
          newRequest({ partnerId, status: 'ACTIVE', createdAt: minutesLater(i).toISOString() }),
        );
      }

      const first = await requests.listByPartner(partnerId, { limit: 100, status: 'ACTIVE' });
      const second = await requests.listByPartner(partnerId, {
        limit: 100,
        status: 'ACTIVE',
        cursor: first.nextCursor ?? '',
      });

      expect(first.items).toHaveLength(100);
      expect(second.items).toHaveLength(3);
      expect(second.nextCursor).toBeNull();
    });

    it('refuses a cursor of the same index but other filters, or past the expiry bound', async () => {
      const { partnerId, n } = await population();
      const domain = `d0-${n}.example`;
      const combined = await requests.listByPartner(partnerId, {
        limit: 1,
        accountDomain: domain,
        status: 'PENDING_ACTIVATION',
      });
      const late = await requests.listByPartner(partnerId, { limit: 1, expiresBefore: day(30) });
      expect(combined.nextCursor).not.toBeNull();
      expect(late.nextCursor).not.toBeNull();

      await expect(
        requests.listByPartner(partnerId, {
          limit: 1,
          accountDomain: domain,
          cursor: combined.nextCursor ?? '',
        }),
      ).rejects.toBeInstanceOf(ValidationFailed);
      await expect(
        requests.listByPartner(partnerId, {
          limit: 1,
          expiresBefore: day(1),
          cursor: late.nextCursor ?? '',
        }),
      ).rejects.toBeInstanceOf(ValidationFailed);
    });

    it("refuses a cursor of another filter's list", async () => {
      const { partnerId } = await population();
      const { nextCursor } = await requests.listByPartner(partnerId, {
        limit: 1,
        status: 'ACTIVE',
      });

      expect(nextCursor).not.toBeNull();
      await expect(
        requests.listByPartner(partnerId, {
          limit: 1,
          status: 'EXPIRED',
          cursor: nextCursor ?? '',
        }),
      ).rejects.toBeInstanceOf(ValidationFailed);
      await expect(
        requests.listByPartner(partnerId, { limit: 1, cursor: nextCursor ?? '' }),
      ).rejects.toBeInstanceOf(ValidationFailed);
    });
  });

  describe('domain locks', () => {
    const aLock = (domain: string, requestId = newRequestId()): DomainLock => ({
      domain,
      requestId,
      lockedAt: NOW.toISOString(),
    });

    it("marks an activated account's lock only while it names that request, and keeps the first mark", async () => {
      const domain = `lock-${unique()}.example`;
      const first = aLock(domain);
      await locks.take(first);

      await locks.markAccount(domain, newRequestId(), '2026-12-01T00:00:00.000Z');
      expect((await locks.get(domain))?.activatedAt).toBeUndefined();
      await locks.markAccount(domain, first.requestId, '2026-12-02T00:00:00.000Z');
      await locks.markAccount(domain, first.requestId, '2026-12-03T00:00:00.000Z');

      expect(await locks.get(domain)).toEqual({
        ...first,
        activatedAt: '2026-12-02T00:00:00.000Z',
      });
    });

    it('takes a free domain once', async () => {
      const domain = `lock-${unique()}.example`;
      const first = aLock(domain);

      expect(await locks.take(first)).toBe(true);
      expect(await locks.take(aLock(domain))).toBe(false);
      expect(await locks.get(domain)).toEqual(first);
      expect(await locks.get(`free-${unique()}.example`)).toBeUndefined();
    });

    it('takes a lock over only from the holder it still names', async () => {
      const domain = `lock-${unique()}.example`;
      const first = aLock(domain);
      const second = aLock(domain);
      await locks.take(first);

      expect(await locks.takeOver(second, first.requestId)).toBe(true);
      expect(await locks.takeOver(aLock(domain), first.requestId)).toBe(false);
      expect(await locks.takeOver(aLock(`free-${unique()}.example`), first.requestId)).toBe(false);
      expect(await locks.get(domain)).toEqual(second);
    });

    it('releases only its own lock', async () => {
      const domain = `lock-${unique()}.example`;
      const mine = aLock(domain);
      await locks.take(mine);

      await locks.release(aLock(domain));
      expect(await locks.get(domain)).toEqual(mine);
      await locks.release(mine);
      expect(await locks.get(domain)).toBeUndefined();
    });
  });

  describe('creating through RequestIntake: one live request per domain', () => {
    const intake = (options: { abandonedAfterSeconds?: number } = {}) =>
      new RequestIntake(requests, locks, neverStarting, {
        activationTimeoutSeconds: 3600,
        abandonedAfterSeconds: options.abandonedAfterSeconds ?? 300,
        orphanLockAfterSeconds: 60,
        now,
      });
    const requester = { partnerId: 'partner-1', partnerName: 'Partner One' };
    const input = (accountDomain: string) => ({
      accountName: 'Acme BV',
      accountDomain,
      customerEmail: `it@${accountDomain}`,
      noteToCustomer: null,
      userEmails: [],
      noteToUsers: null,
      locale: 'en' as const,
    });
    const domain = () => `intake-${unique()}.example`;

    it('stores the request and its lock, and refuses a second live request for the domain', async () => {
      const accountDomain = domain();
      const first = await intake().create(requester, input(accountDomain));

      await expect(intake().create(requester, input(accountDomain))).rejects.toBeInstanceOf(
        DomainTaken,
      );
      expect(await requests.get(first.id)).toEqual(first);
      expect((await locks.get(accountDomain))?.requestId).toBe(first.id);
    });

    it('takes over the domain of a request that closed', async () => {
      const accountDomain = domain();
      const first = await intake().create(requester, input(accountDomain));
      await requests.close(first.id, 'DECLINED');

      const second = await intake().create(requester, input(accountDomain));

      expect((await locks.get(accountDomain))?.requestId).toBe(second.id);
    });

    it('keeps the domain of an ACTIVE request for good', async () => {
      const accountDomain = domain();
      const first = await intake().create(requester, input(accountDomain));
      await requests.close(first.id, 'ACTIVE');
      clock = minutesLater(60 * 24 * 365);

      await expect(intake().create(requester, input(accountDomain))).rejects.toBeInstanceOf(
        DomainTaken,
      );
    });

    it('fails a holder whose execution never started, then takes its domain', async () => {
      const accountDomain = domain();
      const abandoned = await intake().create(requester, input(accountDomain));
      clock = minutesLater(6);

      const next = await intake().create(requester, input(accountDomain));

      expect(await requests.get(abandoned.id)).toMatchObject({
        status: 'FAILED',
        closeReason: 'ExecutionNotStarted',
        closedAt: clock.toISOString(),
      });
      expect((await locks.get(accountDomain))?.requestId).toBe(next.id);
    });

    it('keeps the domain of an unstarted holder within the grace period, and of a started one after it', async () => {
      const accountDomain = domain();
      const holder = await intake().create(requester, input(accountDomain));
      clock = minutesLater(4);
      await expect(intake().create(requester, input(accountDomain))).rejects.toBeInstanceOf(
        DomainTaken,
      );

      await requests.attachActivation(holder.id, {
        ...WAIT,
        taskToken: 'token',
        codeHash: `hash-${unique()}`,
        codeNonce: 'nonce',
      });
      clock = minutesLater(60);
      await expect(intake().create(requester, input(accountDomain))).rejects.toBeInstanceOf(
        DomainTaken,
      );
      expect((await requests.get(holder.id))?.status).toBe('PENDING_ACTIVATION');
    });

    it('keeps a fresh lock whose request is not written yet, and takes over an old orphan', async () => {
      const accountDomain = domain();
      const orphan = {
        domain: accountDomain,
        requestId: newRequestId(),
        lockedAt: NOW.toISOString(),
      };
      await locks.take(orphan);
      clock = new Date(NOW.getTime() + 30_000);
      await expect(intake().create(requester, input(accountDomain))).rejects.toBeInstanceOf(
        DomainTaken,
      );

      clock = minutesLater(2);
      const next = await intake().create(requester, input(accountDomain));

      expect((await locks.get(accountDomain))?.requestId).toBe(next.id);
    });

    it('lets exactly one of concurrent creates take a freed domain', async () => {
      const accountDomain = domain();
      const first = await intake().create(requester, input(accountDomain));
      await requests.close(first.id, 'CANCELLED');

      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () => intake().create(requester, input(accountDomain))),
      );

      const won = results.filter((result) => result.status === 'fulfilled');
      const refused = results.filter((result) => result.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(refused.map((result) => (result as PromiseRejectedResult).reason)).toEqual(
        Array(4).fill(expect.any(DomainTaken)),
      );
      expect((await locks.get(accountDomain))?.requestId).toBe(
        (won[0] as PromiseFulfilledResult<SmartAccountRequest>).value.id,
      );
    });
  });
});
