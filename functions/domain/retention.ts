import { RequestStatus } from '../shared/status.ts';
import type { DomainLocks } from './ports.ts';
import type { SmartAccountRequest } from './smart-account-request.ts';
import { forgetChangeOf, type StatusCounter } from './status-counts.ts';

/**
 * Retention (docs/security.md): a closed request, its timeline and its domain lock are
 * deleted `RETENTION_DAYS` after it closed. An activated request is deleted too, but its
 * domain's lock stays (domain, request id and activation time, no personal data): the account
 * is live, and a new request for its domain must still be refused. Settle fixes the date (`retainUntil`, and the
 * table's TTL attribute); on AWS DynamoDB's TTL deletes the request item and the table's stream
 * hands its old image to `forgetDeleted`; locally (dynalite has no TTL) the sweep finds the
 * request at that date and `forget` deletes it all.
 */
export const DEFAULT_RETENTION_DAYS = 400;

const DAY_MS = 86_400_000;

/** When a request closed: ACTIVE is stamped in activatedAt, every other outcome in closedAt. */
export const closedAtOf = (
  request: Pick<SmartAccountRequest, 'closedAt' | 'activatedAt' | 'history'>,
): string | undefined =>
  request.closedAt ?? request.activatedAt ?? request.history.at(-1)?.at ?? undefined;

export const retainUntilOf = (closedAt: string, retentionDays: number): string =>
  new Date(Date.parse(closedAt) + retentionDays * DAY_MS).toISOString();

/** Only a settled outcome whose date has come: never a pending or unsettled request. */
export const mayForget = (
  request: Pick<SmartAccountRequest, 'status' | 'notifiedStatus' | 'retainUntil'>,
  now: Date,
): boolean =>
  request.status !== RequestStatus.PENDING_ACTIVATION &&
  request.notifiedStatus === request.status &&
  request.retainUntil !== undefined &&
  request.retainUntil <= now.toISOString();

/** The items that hold a request's data besides the request item itself. */
export interface RetainedItems {
  /** The request's timeline items (its events and e-mails). */
  deleteTimeline(requestId: string): Promise<void>;
  /** Its activation code's item, only while it still points at this request. */
  deleteCode(codeHash: string, requestId: string): Promise<void>;
  deleteRequest(requestId: string): Promise<void>;
  /**
   * The tombstone of a request TTL deleted whose rest is done: a stream record delivered again
   * (Lambda retries a batch from its first failure on) finds it and changes nothing.
   */
  isForgotten(requestId: string): Promise<boolean>;
  markForgotten(requestId: string): Promise<void>;
}

export type ForgetResult = 'forgotten' | 'kept' | 'gone';

export class Retention {
  constructor(
    private readonly requests: { get(requestId: string): Promise<SmartAccountRequest | undefined> },
    private readonly items: RetainedItems,
    private readonly counts: Pick<StatusCounter, 'apply'>,
    private readonly locks: Pick<DomainLocks, 'release' | 'markAccount'>,
  ) {}

  /**
   * The sweep's deletion. Everything but the request item first, so a crash leaves the
   * request in the sweep's index and the next pass finishes; the request item goes last, as
   * the counters' confirming step (status-counts.ts), so it leaves its status exactly once.
   */
  async forget(requestId: string, now: Date): Promise<ForgetResult> {
    const request = await this.requests.get(requestId);
    if (!request) return 'gone';
    if (!mayForget(request, now)) return 'kept';
    await this.deleteRest(request);
    const change = forgetChangeOf(request);
    const deleteRequest = () => this.items.deleteRequest(requestId);
    if (change) await this.counts.apply(request.partnerId, requestId, change, deleteRequest);
    else await deleteRequest();
    return 'forgotten';
  }

  /**
   * After DynamoDB's TTL deleted the request item (AWS): the rest, and its status leaves the
   * counters. The tombstone is the counters' confirming step, so a record delivered again
   * after the first delivery finished changes nothing, and one that crashed midway finishes.
   */
  async forgetDeleted(request: SmartAccountRequest): Promise<void> {
    if (await this.items.isForgotten(request.id)) return;
    await this.deleteRest(request);
    const change = forgetChangeOf(request);
    const tombstone = () => this.items.markForgotten(request.id);
    if (change) await this.counts.apply(request.partnerId, request.id, change, tombstone);
    else await tombstone();
  }

  private async deleteRest(request: SmartAccountRequest): Promise<void> {
    await this.items.deleteTimeline(request.id);
    if (request.status === RequestStatus.ACTIVE) {
      const activatedAt = request.activatedAt ?? closedAtOf(request) ?? new Date().toISOString();
      await this.locks.markAccount(request.accountDomain, request.id, activatedAt);
    } else {
      await this.locks.release({ domain: request.accountDomain, requestId: request.id });
    }
    if (request.codeHash) await this.items.deleteCode(request.codeHash, request.id);
  }
}
