/**
 * What the list-filter phase (bench/list-filters.ts) seeds: a partner's requests as the store
 * holds them, oldest first, each a pure function of its index. Pure, unit-tested in
 * test/unit/bench/list-seed.test.ts.
 */
import { createHash } from 'node:crypto';
import { applyClosing, CloseReason, closingOf } from '../functions/domain/lifecycle.ts';
import type { SmartAccountRequest } from '../functions/domain/smart-account-request.ts';
import { SweepDelay, sweepAfter } from '../functions/domain/sweep.ts';
import { RequestStatus } from '../functions/shared/status.ts';
import { aRequest } from '../test/support/in-memory-stores.ts';

export interface SeedSpec {
  readonly partnerId: string;
  readonly partnerName: string;
  /** Prefix of the customers' domains, so no two partners' requests share one by accident. */
  readonly domainPrefix: string;
  readonly requests: number;
  /** CANCELLED requests, spread evenly from the oldest to the newest. */
  readonly cancelled: number;
  /** Requests for PROBE_DOMAIN, spread evenly: the older ones DECLINED, the newest pending. */
  readonly probeDomainRequests: number;
  /** Every n-th request ACTIVE (the last of each n), and every n-th (the middle one) DECLINED. */
  readonly activeEvery: number;
  readonly declinedEvery: number;
  /** The requests were created one after the other over this many days up to `now`. */
  readonly spanDays: number;
}

/** The domain the `accountDomain` filter is measured with; each seeded partner has a few. */
export const PROBE_DOMAIN = 'probe.bench.example';

const DAY_MS = 86_400_000;
/** As ACTIVATION_TIMEOUT_SECONDS' default: 90 days to decide. */
const TIMEOUT_MS = 90 * DAY_MS;
/** The first of the default reminders, 60 days before the expiry. */
const FIRST_REMINDER_BEFORE_MS = 60 * DAY_MS;

/** As the cancel and the customer's decline give them (functions/domain/). */
const CLOSE_REASONS: Partial<Record<RequestStatus, string>> = {
  [RequestStatus.CANCELLED]: CloseReason.CANCELLED_BY_PARTNER,
  [RequestStatus.DECLINED]: CloseReason.DECLINED_BY_CUSTOMER,
};

/** `count` indices of `0 … total - 1`, one in the middle of each of `count` equal stretches. */
export const evenlySpread = (count: number, total: number): Set<number> => {
  if (count > total) throw new Error(`Cannot spread ${count} over ${total}`);
  return new Set(Array.from({ length: count }, (_, k) => Math.floor(((k + 0.5) * total) / count)));
};

/** The status of each request, oldest first; the order of the rules is their precedence. */
export const seedStatuses = (spec: SeedSpec): RequestStatus[] => {
  const cancelled = evenlySpread(spec.cancelled, spec.requests);
  const probe = [...evenlySpread(spec.probeDomainRequests, spec.requests)];
  const newestProbe = Math.max(...probe);
  const probes = new Set(probe);
  return Array.from({ length: spec.requests }, (_, index) => {
    if (cancelled.has(index)) return RequestStatus.CANCELLED;
    if (probes.has(index)) {
      // One live request per domain: the earlier ones for it were declined.
      return index === newestProbe ? RequestStatus.PENDING_ACTIVATION : RequestStatus.DECLINED;
    }
    // The last of each n: the spread indices above are multiples of 250 for the measured
    // partner, so none of its ACTIVE ones is taken by them. The counts are counted, not assumed.
    if (index % spec.activeEvery === spec.activeEvery - 1) return RequestStatus.ACTIVE;
    if (index % spec.declinedEvery === Math.floor(spec.declinedEvery / 2)) {
      return RequestStatus.DECLINED;
    }
    return RequestStatus.PENDING_ACTIVATION;
  });
};

/** When the `index`-th request was created: evenly over the span, the newest a step before now. */
export const createdAtOf = (spec: SeedSpec, index: number, now: Date): Date => {
  const step = (spec.spanDays * DAY_MS) / spec.requests;
  return new Date(Math.round(now.getTime() - spec.spanDays * DAY_MS + index * step));
};

export const isProbe = (spec: SeedSpec, index: number): boolean =>
  evenlySpread(spec.probeDomainRequests, spec.requests).has(index);

const digest = (algorithm: string, value: string, encoding: 'hex' | 'base64url') =>
  createHash(algorithm).update(value).digest(encoding);

/**
 * The `index`-th request with the fields its item has in the table at that point of its life:
 * a pending one waits for its customer (task token of the local stack's length, code hash,
 * reminder and wake planned, in the sparse sweep index with a later `sweepAt`); a closed one
 * is closed by the domain's own `applyClosing` and settled (its e-mails sent, out of the sweep
 * index). Its id is given, so the same index can be seeded into another table.
 */
export const seededRequest = (
  spec: SeedSpec,
  index: number,
  status: RequestStatus,
  id: string,
  now: Date,
): SmartAccountRequest => {
  const created = createdAtOf(spec, index, now);
  const createdAt = created.toISOString();
  const expiresAt = new Date(created.getTime() + TIMEOUT_MS).toISOString();
  const domain = isProbe(spec, index)
    ? PROBE_DOMAIN
    : `${spec.domainPrefix}-customer-${index}.bench.example`;
  const pending = aRequest({
    id,
    partnerId: spec.partnerId,
    partnerName: spec.partnerName,
    accountName: `Customer ${index} BV`,
    accountDomain: domain,
    customerEmail: `it@${domain}`,
    userEmails: [`a@${domain}`, `b@${domain}`],
    createdAt,
    expiresAt,
    history: [{ status: RequestStatus.PENDING_ACTIVATION, at: createdAt }],
    activationSentAt: new Date(created.getTime() + 2_000).toISOString(),
    executionAttempt: 1,
    remindersSent: 0,
  });
  if (status === RequestStatus.PENDING_ACTIVATION) {
    const wakeAt = new Date(created.getTime() + TIMEOUT_MS - FIRST_REMINDER_BEFORE_MS);
    return {
      ...pending,
      // randomBytes(48).toString('base64url') in local/step-functions.ts: 64 characters.
      taskToken: digest('sha384', `token:${id}`, 'base64url'),
      codeHash: digest('sha256', `code:${id}`, 'hex'),
      codeNonce: digest('sha256', `nonce:${id}`, 'base64url').slice(0, 22),
      nextReminderAt: wakeAt.toISOString(),
      wakeAt: wakeAt.toISOString(),
      sweepAt: sweepAfter(wakeAt, SweepDelay.AFTER_WAKE_SECONDS),
    };
  }
  // Closed halfway between its creation and now, then settled.
  const closedAt = new Date((created.getTime() + now.getTime()) / 2);
  const closed = applyClosing(pending, closingOf(status, closedAt, CLOSE_REASONS[status]));
  const { sweepAt: _sweepAt, pendingEvents: _published, ...settled } = closed;
  return { ...settled, notifiedStatus: status, nextReminderAt: null };
};

/** How many of each status a spec seeds. */
export const statusCounts = (statuses: readonly RequestStatus[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
};

/**
 * An `expiresBefore` that exactly `matches` pending requests are before: the expiry of the
 * (matches + 1)-th pending request to expire (the filter is strictly before). Expiries follow
 * creation, so those are the oldest pending ones.
 */
export const expiresBeforeFor = (
  spec: SeedSpec,
  statuses: readonly RequestStatus[],
  matches: number,
  now: Date,
): string => {
  const pendingIndices = statuses.flatMap((status, index) =>
    status === RequestStatus.PENDING_ACTIVATION ? [index] : [],
  );
  const first = pendingIndices[matches];
  if (first === undefined) throw new Error(`Fewer than ${matches + 1} pending requests`);
  return new Date(createdAtOf(spec, first, now).getTime() + TIMEOUT_MS).toISOString();
};
