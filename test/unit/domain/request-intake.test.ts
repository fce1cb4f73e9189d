import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DomainLock } from '../../../functions/domain/domain-lock.ts';
import type { CloseGuard } from '../../../functions/domain/lifecycle.ts';
import type { Workflow } from '../../../functions/domain/ports.ts';
import { RequestIntake } from '../../../functions/domain/request-intake.ts';
import type { SmartAccountRequest } from '../../../functions/domain/smart-account-request.ts';
import {
  Dependency,
  DependencyUnavailable,
  DomainTaken,
} from '../../../functions/shared/errors.ts';
import { logger } from '../../../functions/shared/logger.ts';
import type { RequestStatus } from '../../../functions/shared/status.ts';
import {
  aRequest,
  InMemoryDomainLocks,
  InMemoryRequestStore,
  NOW,
} from '../../support/in-memory-stores.ts';

/** The lock protocol's edges that need a failure at a precise moment; the rest is in the contract suite. */

const requester = { partnerId: 'partner-1', partnerName: 'Partner One' };
const input = {
  accountName: 'Acme BV',
  accountDomain: 'acme.example',
  customerEmail: 'it@acme.example',
  noteToCustomer: null,
  userEmails: [],
  noteToUsers: null,
  locale: 'en' as const,
};

let requests: InMemoryRequestStore;
let locks: InMemoryDomainLocks;
let started: string[];
let startFails: unknown;
let clock: Date;

const workflow: Workflow = {
  start: async (requestId) => {
    if (startFails) throw startFails;
    started.push(requestId);
  },
  isRunning: async () => true,
  resume: async () => true,
  abort: async () => true,
};

const intake = () =>
  new RequestIntake(requests, locks, workflow, {
    activationTimeoutSeconds: 3600,
    now: () => clock,
  });

beforeEach(() => {
  requests = new InMemoryRequestStore();
  locks = new InMemoryDomainLocks();
  started = [];
  startFails = undefined;
  clock = NOW;
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('creating a request', () => {
  it('reviews a request without writing anything', () => {
    const preview = intake().preview(requester, input);

    expect(preview).toMatchObject({
      id: null,
      status: 'PENDING_ACTIVATION',
      accountDomain: 'acme.example',
    });
    expect(requests.requests.size + locks.locks.size).toBe(0);
  });

  it('gives the domain back when the request write fails, and lets the failure through', async () => {
    const outage = new DependencyUnavailable('DynamoDB unavailable', {
      dependency: Dependency.TABLE,
    });
    requests.insert = async () => {
      throw outage;
    };

    await expect(intake().create(requester, input)).rejects.toBe(outage);
    expect(await locks.get('acme.example')).toBeUndefined();
    expect(started).toEqual([]);
  });

  it('fails the request and reports Step Functions unavailable when its execution cannot start', async () => {
    const refusal = Object.assign(new Error('limit'), { name: 'ExecutionLimitExceeded' });
    startFails = refusal;
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => {});

    const thrown = await intake()
      .create(requester, input)
      .catch((caught: unknown) => caught);

    expect(thrown).toBeInstanceOf(DependencyUnavailable);
    expect(thrown).toMatchObject({ dependency: 'StepFunctions', cause: refusal });
    const [stored] = requests.requests.values();
    expect(stored).toMatchObject({ status: 'FAILED', closeReason: 'ExecutionNotStarted' });
    expect(logged).toHaveBeenCalledWith('workflow did not start', {
      requestId: stored?.id,
      error: refusal,
    });
    startFails = undefined;
    const retried = await intake().create(requester, input);
    expect(started).toEqual([retried.id]);
  });
});

describe('the domain lock after a lost reply (the write landed, the SDK retried it)', () => {
  it('recognises its own lock when the retried take finds it', async () => {
    locks.take = async (lock: DomainLock) => {
      locks.locks.set(lock.domain, lock);
      return false;
    };

    const created = await intake().create(requester, input);

    expect((await locks.get('acme.example'))?.requestId).toBe(created.id);
  });

  it('keeps a takeover it won when the retried takeover finds its own lock', async () => {
    const old = aRequest({ id: 'sar_OLD', status: 'EXPIRED' });
    requests.put(old);
    await locks.take({ domain: 'acme.example', requestId: old.id, lockedAt: NOW.toISOString() });
    const takeOver = locks.takeOver.bind(locks);
    locks.takeOver = async (lock, previous) => {
      await takeOver(lock, previous);
      return false;
    };

    const created = await intake().create(requester, input);

    expect((await locks.get('acme.example'))?.requestId).toBe(created.id);
  });
});

describe('an abandoned holder', () => {
  const abandoned = () => {
    const holder = aRequest({ id: 'sar_OLD' });
    requests.put(holder);
    locks.locks.set('acme.example', {
      domain: 'acme.example',
      requestId: holder.id,
      lockedAt: NOW.toISOString(),
    });
    clock = new Date(NOW.getTime() + 10 * 60_000);
    return holder;
  };

  it('stays live when its execution stores a task token just before it would be failed', async () => {
    const holder = abandoned();
    const close = requests.close.bind(requests);
    requests.close = async (
      requestId: string,
      to: RequestStatus,
      options?: CloseGuard & { reason?: string; at?: Date },
    ) => {
      await requests.attachActivation(requestId, {
        taskToken: 'token',
        codeHash: 'hash',
        codeNonce: 'nonce',
        wakeAt: '2027-02-23T10:00:00.000Z',
        sweepAt: '2027-02-23T10:15:00.000Z',
      });
      return close(requestId, to, options);
    };

    await expect(intake().create(requester, input)).rejects.toBeInstanceOf(DomainTaken);
    expect(await requests.get(holder.id)).toMatchObject({
      status: 'PENDING_ACTIVATION',
      taskToken: 'token',
    });
    expect((await locks.get('acme.example'))?.requestId).toBe(holder.id);
  });

  it('is failed once even when another create failed it first', async () => {
    const holder = abandoned();
    await requests.close(holder.id, 'FAILED', {
      reason: 'ExecutionNotStarted',
      unstartedOnly: true,
    });

    const created = await intake().create(requester, input);

    expect((await requests.get(holder.id))?.history.map((change) => change.status)).toEqual([
      'PENDING_ACTIVATION',
      'FAILED',
    ]);
    expect((await locks.get('acme.example'))?.requestId).toBe(created.id);
  });
});

describe('a lock that vanished between the take and the read', () => {
  it('refuses the domain rather than loop; the retry finds it free', async () => {
    locks.take = async () => false;

    await expect(intake().create(requester, input)).rejects.toBeInstanceOf(DomainTaken);
    expect([...requests.requests.values()]).toEqual([] as SmartAccountRequest[]);
  });
});
