import { isLive, isUnstarted } from './lifecycle.ts';
import type { SmartAccountRequest } from './smart-account-request.ts';

/**
 * One live request per account domain, as pure rules. A domain's lock names the request that
 * took it; it is never released when that request closes. Instead a lock only counts while
 * the request it names is live, so nothing ever has to release a lock and a crash can never
 * leave a domain blocked. RequestIntake asks these rules and makes the writes they call for.
 */
export interface DomainLock {
  readonly domain: string;
  readonly requestId: string;
  /** When the lock was written; only matters while its request item does not exist yet. */
  readonly lockedAt: string;
  /**
   * Set when retention deleted the ACTIVE request it names (retention.ts): the account is
   * live, so the domain stays taken although no request item exists any more.
   */
  readonly activatedAt?: string;
}

export interface LockPolicy {
  /** A pending request without a task token older than this never got an execution. */
  readonly abandonedAfterSeconds: number;
  /**
   * A lock whose request item is missing this long was left by a crash between the two
   * writes. It must exceed the create Lambda's timeout: a create can then no longer write its
   * request after another create took its lock over, so a domain never gets two live requests.
   */
  readonly orphanLockAfterSeconds: number;
}

export const DEFAULT_LOCK_POLICY: LockPolicy = {
  abandonedAfterSeconds: 300,
  orphanLockAfterSeconds: 60,
};

/** What an existing lock means to a create that wants the domain. */
export const LockStanding = {
  /** It names the claimant: an earlier attempt of its own write landed (lost reply, retried). */
  OURS: 'OURS',
  /** Its request is live, or is still being written: the domain is taken. */
  HELD: 'HELD',
  /**
   * Its request is pending without a task token for longer than the policy allows: its
   * execution never started. The request must be failed first; only then is the lock free.
   */
  ABANDONED: 'ABANDONED',
  /** Its request is terminal and not ACTIVE: the lock may be taken over. */
  RELEASED: 'RELEASED',
  /** Its request item never got written, long ago: the lock may be taken over. */
  ORPHANED: 'ORPHANED',
} as const;
export type LockStanding = (typeof LockStanding)[keyof typeof LockStanding];

export const lockFor = (request: SmartAccountRequest, at: Date): DomainLock => ({
  domain: request.accountDomain,
  requestId: request.id,
  lockedAt: at.toISOString(),
});

const ageMs = (since: string, now: Date): number => now.getTime() - Date.parse(since);

export const isAbandoned = (
  holder: SmartAccountRequest,
  now: Date,
  policy: LockPolicy = DEFAULT_LOCK_POLICY,
): boolean =>
  isUnstarted(holder) && ageMs(holder.createdAt, now) > policy.abandonedAfterSeconds * 1000;

/**
 * The standing of `lock` for a create by `claimant`, given the request the lock names
 * (`holder`, undefined when its item does not exist).
 */
export const standingOf = (input: {
  readonly lock: DomainLock;
  readonly holder: SmartAccountRequest | undefined;
  readonly claimant: string;
  readonly now: Date;
  readonly policy?: LockPolicy;
}): LockStanding => {
  const { lock, holder, claimant, now } = input;
  const policy = input.policy ?? DEFAULT_LOCK_POLICY;
  if (lock.requestId === claimant) return LockStanding.OURS;
  if (lock.activatedAt !== undefined) return LockStanding.HELD;
  if (!holder) {
    return ageMs(lock.lockedAt, now) < policy.orphanLockAfterSeconds * 1000
      ? LockStanding.HELD
      : LockStanding.ORPHANED;
  }
  if (!isLive(holder.status)) return LockStanding.RELEASED;
  return isAbandoned(holder, now, policy) ? LockStanding.ABANDONED : LockStanding.HELD;
};

/**
 * Standings whose lock another create may replace. The replacement is conditional on the lock
 * still naming the old holder, so of two concurrent creates only one wins.
 */
export const mayTakeOver = (standing: LockStanding): boolean =>
  standing === LockStanding.RELEASED || standing === LockStanding.ORPHANED;
