import type { RequestStatus } from '../shared/status.ts';
import type { IssuedKey } from './api-keys.ts';
import type { DomainLock } from './domain-lock.ts';
import type { CloseGuard } from './lifecycle.ts';
import type { RequestFilter } from './request-filters.ts';
import type { SmartAccountRequest } from './smart-account-request.ts';

/**
 * The small interfaces the domain depends on. DynamoDB, Step Functions and SES live in
 * adapters (functions/adapters/) that implement them. Stores decide nothing: each write is
 * conditional on a rule of functions/domain/lifecycle.ts or domain-lock.ts, and a failure a
 * retry can fix is thrown as DependencyUnavailable.
 */

export interface Partner {
  readonly id: string;
  readonly name: string;
  readonly contactEmail: string;
}

export interface PartnerStore {
  get(partnerId: string): Promise<Partner | undefined>;
  /**
   * Creates a partner with its first API key (functions/domain/api-keys.ts); false when the
   * partner exists already, which is left as it is.
   */
  create(partner: Partner, firstKey: Pick<IssuedKey, 'record' | 'keyHash'>): Promise<boolean>;
}

export interface CloseOutcome {
  /** True when this call made the change; false when another status had already won. */
  readonly won: boolean;
  readonly request: SmartAccountRequest;
}

export interface ListPage {
  readonly items: readonly SmartAccountRequest[];
  readonly nextCursor: string | null;
}

/** One wait of the workflow: its task token, the link's code and when it plans to wake. */
export interface ActivationWait {
  readonly taskToken: string;
  readonly codeHash: string;
  readonly codeNonce: string;
  readonly wakeAt: string;
  /** When the sweep looks if the execution has not woken by then. */
  readonly sweepAt: string;
}

/** What a PATCH writes: the changed fields and, for a new customer address, a new link. */
export interface RequestCorrection {
  readonly partnerId: string;
  readonly fields: Partial<
    Pick<
      SmartAccountRequest,
      'customerEmail' | 'noteToCustomer' | 'userEmails' | 'noteToUsers' | 'locale'
    >
  >;
  /** The nonce the change was planned against; undefined while no link has been fixed. */
  readonly seenNonce: string | undefined;
  /** Replaces the link: the old code stops resolving, and the new one is still to be mailed. */
  readonly newLink?: {
    readonly codeNonce: string;
    readonly codeHash: string;
    /** The old link's hash: its code item is dropped once the change is written. */
    readonly replaces: string | undefined;
  };
}

/** When a settled request is deleted (retention.ts), and who finds it then. */
export interface RetentionPlan {
  readonly retainUntil: string;
  /** The sweep deletes it (the local stack): it stays in the sweep's index until then. */
  readonly bySweep: boolean;
}

export interface RequestStore {
  /**
   * Stores a new request item. Its id is new, so an item that already exists can only be an
   * earlier attempt of this very write (the reply was lost, the SDK retried): that counts as
   * stored. The domain's lock is the caller's business (DomainLocks).
   */
  insert(request: SmartAccountRequest): Promise<void>;
  get(requestId: string): Promise<SmartAccountRequest | undefined>;
  findByCodeHash(codeHash: string): Promise<SmartAccountRequest | undefined>;
  /**
   * Newest first (by expiry when the expiry filter drives it: request-filters.ts), every filter
   * holding. Throws ValidationFailed for a cursor that is not one of this list's.
   */
  listByPartner(
    partnerId: string,
    options: RequestFilter & { limit: number; cursor?: string },
  ): Promise<ListPage>;
  /**
   * The one arbiter: writes `closingOf(to, …)` only while `mayClose` holds, and reports the
   * winner either way; undefined when the request does not exist or is another partner's.
   */
  close(
    requestId: string,
    to: RequestStatus,
    options?: CloseGuard & { reason?: string; at?: Date; declineReason?: string | null },
  ): Promise<CloseOutcome | undefined>;
  /**
   * Stores the wait's task token, the code's hash and the planned wake while
   * `mayAttachActivation` holds.
   */
  attachActivation(
    requestId: string,
    activation: ActivationWait,
  ): Promise<SmartAccountRequest | undefined>;
  /**
   * Moves a pending request's expiry from `from` to `to`, conditional on both (the one
   * arbiter still holds: an expiry written first wins); undefined when the condition failed.
   */
  extend(
    requestId: string,
    change: { from: string; to: string; nextReminderAt: string | null },
  ): Promise<SmartAccountRequest | undefined>;
  /**
   * Writes a PATCH while `mayCorrect` holds (pending, the partner's, and the link is still the
   * one the change was planned against); undefined when it does not.
   */
  correct(
    requestId: string,
    correction: RequestCorrection,
  ): Promise<SmartAccountRequest | undefined>;
  /**
   * Counts a reminder to the customer, once per key (a retried Wake does not count it twice).
   */
  recordReminder(requestId: string, key: string): Promise<void>;
  /** Moves `nextReminderAt` from the reminder just handled to the next, while still pending. */
  planNextReminder(requestId: string, change: { from: string; to: string | null }): Promise<void>;
  /** Records the first activation e-mail's time; later calls keep it. */
  markActivationSent(requestId: string, at: Date): Promise<void>;
  /** Counts a resend while `mayCountResend` holds; otherwise the request (if the partner's). */
  countResend(
    requestId: string,
    partnerId: string,
    maxResends: number,
  ): Promise<
    { ok: true; request: SmartAccountRequest } | { ok: false; request?: SmartAccountRequest }
  >;
  /**
   * Removes published events from the outbox: the first `eventIds.length` entries, only while
   * they are still these (another publisher may have removed them first).
   */
  clearPendingEvents(requestId: string, eventIds: readonly string[]): Promise<void>;
  /** Remembers one sent outcome e-mail so a retried Settle never sends it twice. */
  recordSentEmail(requestId: string, key: string): Promise<void>;
  /**
   * Sets `notifiedStatus` while `mayMarkNotified` holds and takes the request out of the
   * sweep index; true when this call set it.
   */
  markNotified(
    requestId: string,
    status: RequestStatus,
    retention?: RetentionPlan,
  ): Promise<boolean>;
}

/** The domain locks (functions/domain/domain-lock.ts); every write is conditional. */
export interface DomainLocks {
  /** Writes the lock only if the domain has none; false when one exists. */
  take(lock: DomainLock): Promise<boolean>;
  get(domain: string): Promise<DomainLock | undefined>;
  /** Replaces the lock only while it still names `previousHolder`; false when it does not. */
  takeOver(lock: DomainLock, previousHolder: string): Promise<boolean>;
  /** Deletes the lock only while it still names `lock.requestId`. */
  release(lock: Pick<DomainLock, 'domain' | 'requestId'>): Promise<void>;
  /**
   * Marks the lock of an activated account (`activatedAt`), only while it still names that
   * request: the domain then stays taken even once retention deleted the request.
   */
  markAccount(domain: string, requestId: string, activatedAt: string): Promise<void>;
}

export interface IdempotencyRecord {
  readonly bodyHash: string;
  readonly state: 'IN_PROGRESS' | 'COMPLETED';
  readonly response?: StoredResponse;
}

export interface StoredResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface IdempotencyStore {
  /** Claims the key; returns the existing record when someone holds or completed it. */
  claim(scope: string, key: string, bodyHash: string): Promise<IdempotencyRecord | undefined>;
  complete(scope: string, key: string, response: StoredResponse): Promise<void>;
  release(scope: string, key: string): Promise<void>;
}

export interface Workflow {
  /**
   * Starts the request's execution `attempt` (1: named after the request id; the sweep starts
   * later attempts when an execution is gone). Idempotent per attempt.
   */
  start(requestId: string, attempt?: number): Promise<void>;
  /** Whether the request's execution `attempt` is still running. */
  isRunning(requestId: string, attempt: number): Promise<boolean>;
  /** Resumes the wait; false when the token is no longer valid (timed out, already used). */
  resume(taskToken: string, output: unknown): Promise<boolean>;
  /** Ends the wait with an error the ASL catches; false when the token is no longer valid. */
  abort(taskToken: string, error: string, cause: string): Promise<boolean>;
}

export interface OutgoingEmail {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<string>;
}
