import { describe, expect, it } from 'vitest';
import {
  type DomainLock,
  isAbandoned,
  LockStanding,
  mayTakeOver,
  standingOf,
} from '../../../functions/domain/domain-lock.ts';
import type { SmartAccountRequest } from '../../../functions/domain/smart-account-request.ts';
import { aRequest, NOW } from '../../support/in-memory-stores.ts';

const policy = { abandonedAfterSeconds: 300, orphanLockAfterSeconds: 60 };
const lock: DomainLock = {
  domain: 'acme.example',
  requestId: 'sar_OLD',
  lockedAt: NOW.toISOString(),
};
const secondsAfter = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
const holder = (overrides: Partial<SmartAccountRequest> = {}) =>
  aRequest({ id: 'sar_OLD', ...overrides });

const standing = (holderRequest: SmartAccountRequest | undefined, secondsLater = 0) =>
  standingOf({
    lock,
    holder: holderRequest,
    claimant: 'sar_NEW',
    now: secondsAfter(secondsLater),
    policy,
  });

describe('when a domain lock still holds the domain', () => {
  it('is our own lock when it names the claimant (an earlier attempt of our write landed)', () => {
    expect(
      standingOf({ lock, holder: undefined, claimant: 'sar_OLD', now: secondsAfter(3600), policy }),
    ).toBe(LockStanding.OURS);
  });

  it('holds while its request is pending with a started execution, or active, however old', () => {
    expect(standing(holder({ taskToken: 'token' }), 86_400)).toBe(LockStanding.HELD);
    expect(standing(holder({ status: 'ACTIVE' }), 86_400 * 365)).toBe(LockStanding.HELD);
  });

  it.each(['DECLINED', 'CANCELLED', 'EXPIRED', 'FAILED'] as const)(
    'is released once its request is %s',
    (status) => {
      expect(standing(holder({ status }))).toBe(LockStanding.RELEASED);
    },
  );

  it('holds for good once it marks an activated account whose request retention deleted', () => {
    const accountLock = { ...lock, activatedAt: NOW.toISOString() };
    expect(
      standingOf({
        lock: accountLock,
        holder: undefined,
        claimant: 'sar_NEW',
        now: secondsAfter(86_400 * 800),
        policy,
      }),
    ).toBe(LockStanding.HELD);
  });

  it('holds while its request item may still be on its way, and is an orphan after that', () => {
    expect(standing(undefined, 59)).toBe(LockStanding.HELD);
    expect(standing(undefined, 60)).toBe(LockStanding.ORPHANED);
  });

  it('calls a pending request abandoned only with no task token and past the grace period', () => {
    expect(standing(holder(), 300)).toBe(LockStanding.HELD);
    expect(standing(holder(), 301)).toBe(LockStanding.ABANDONED);
    expect(isAbandoned(holder({ taskToken: 'token' }), secondsAfter(3600), policy)).toBe(false);
    expect(isAbandoned(holder({ status: 'EXPIRED' }), secondsAfter(3600), policy)).toBe(false);
  });

  it('may be taken over when released or orphaned, never while held or abandoned', () => {
    expect(Object.values(LockStanding).filter(mayTakeOver)).toEqual([
      LockStanding.RELEASED,
      LockStanding.ORPHANED,
    ]);
  });
});
