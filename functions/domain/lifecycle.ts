import { RequestStatus } from '../shared/status.ts';
import { closeEventType, type PendingEvent, pendingEvent } from './event-outbox.ts';
import type { SmartAccountRequest, StatusChange } from './smart-account-request.ts';
import { SweepDelay, sweepAfter } from './sweep.ts';

/**
 * The request lifecycle as pure rules. PENDING_ACTIVATION is the only status that changes, and
 * it changes once, into a terminal status. Every store write that changes a request is
 * conditional on one of the predicates below: the in-memory fake evaluates them as written, the
 * DynamoDB adapter states the same predicate as its ConditionExpression, and one contract suite
 * (test/unit/adapters/request-store-contract.test.ts) runs the same cases against both.
 */

/** A domain with a request in one of these statuses cannot be requested again (409). */
export const liveStatuses: readonly RequestStatus[] = [
  RequestStatus.PENDING_ACTIVATION,
  RequestStatus.ACTIVE,
];

export const isLive = (status: RequestStatus): boolean => liveStatuses.includes(status);

/** Terminal statuses never change again; ACTIVE is one of them (and still live). */
export const isTerminal = (status: RequestStatus): boolean =>
  status !== RequestStatus.PENDING_ACTIVATION;

/** The only transitions: from PENDING_ACTIVATION into any terminal status. */
export const canTransition = (from: RequestStatus, to: RequestStatus): boolean =>
  from === RequestStatus.PENDING_ACTIVATION && isTerminal(to);

/**
 * Reasons the domain itself closes a request with. The workflow passes its own (the ASL's
 * `ActivationTimeout`, the error name of an undeliverable activation mail).
 */
export const CloseReason = {
  CANCELLED_BY_PARTNER: 'CancelledByPartner',
  DECLINED_BY_CUSTOMER: 'DeclinedByCustomer',
  /** The execution could not be started, or never started: the partner learned it from a 503. */
  EXECUTION_NOT_STARTED: 'ExecutionNotStarted',
} as const;
export type CloseReason = (typeof CloseReason)[keyof typeof CloseReason];

export interface CloseGuard {
  /** Only the owning partner may close it (cancel); to anyone else it does not exist. */
  readonly partnerId?: string;
  /** Only while no execution has stored a task token (failing an abandoned request). */
  readonly unstartedOnly?: boolean;
  /**
   * Only if `expiresAt` has passed by then (the expiry): an extension written after the
   * workflow read the request wins, and the request waits for its new date.
   */
  readonly dueBy?: Date;
  /**
   * Only while the request's link is still this one (a customer's decision): a PATCH that gave
   * the request a new customer and link first makes the old link's answer lose.
   */
  readonly codeHash?: string;
}

/** A pending request that no execution has reached yet: it carries no task token. */
export const isUnstarted = (request: SmartAccountRequest): boolean =>
  request.status === RequestStatus.PENDING_ACTIVATION && !request.taskToken;

export const isOwnedBy = (request: SmartAccountRequest, partnerId: string | undefined): boolean =>
  partnerId === undefined || request.partnerId === partnerId;

/**
 * The one arbiter: of activation, decline, cancel, expiry and failure, the close that is
 * written first wins, because it is only written while the request is still pending. Every
 * later close loses and reads the winner.
 */
export const mayClose = (
  request: SmartAccountRequest,
  to: RequestStatus,
  guard: CloseGuard = {},
): boolean =>
  canTransition(request.status, to) &&
  isOwnedBy(request, guard.partnerId) &&
  (!guard.unstartedOnly || isUnstarted(request)) &&
  (!guard.dueBy || Date.parse(request.expiresAt) <= guard.dueBy.getTime()) &&
  (!guard.codeHash || request.codeHash === guard.codeHash);

/** What a winning close writes. */
export interface Closing {
  readonly status: RequestStatus;
  /** ACTIVE is stamped in `activatedAt`, every other terminal status in `closedAt`. */
  readonly timestampField: 'activatedAt' | 'closedAt';
  readonly at: string;
  readonly closeReason: string | null;
  /** Appended to the request's history. */
  readonly change: StatusChange;
  /** The sweep looks once the outcome should have been settled (sweep.ts). */
  readonly sweepAt: string;
  /** The customer's words, for DECLINED only. */
  readonly declineReason: string | null;
  /** Appended to the outbox in the same write (event-outbox.ts). */
  readonly event: PendingEvent;
}

export const closingOf = (
  to: RequestStatus,
  at: Date,
  reason?: string,
  declineReason?: string | null,
): Closing => {
  const time = at.toISOString();
  return {
    status: to,
    timestampField: to === RequestStatus.ACTIVE ? 'activatedAt' : 'closedAt',
    at: time,
    closeReason: reason ?? null,
    change: { status: to, at: time },
    sweepAt: sweepAfter(at, SweepDelay.AFTER_CLOSE_SECONDS),
    declineReason: to === RequestStatus.DECLINED ? (declineReason ?? null) : null,
    event: pendingEvent(closeEventType(to), at),
  };
};

export const applyClosing = (
  request: SmartAccountRequest,
  closing: Closing,
): SmartAccountRequest => ({
  ...request,
  status: closing.status,
  [closing.timestampField]: closing.at,
  closeReason: closing.closeReason,
  history: [...request.history, closing.change],
  sweepAt: closing.sweepAt,
  declineReason: closing.declineReason,
  pendingEvents: [...(request.pendingEvents ?? []), closing.event],
});

/**
 * A wait's task token is stored only while the request is pending. The code's nonce is fixed by
 * the first send, so every retry and resend mails the same link.
 */
export const mayAttachActivation = (request: SmartAccountRequest, codeNonce: string): boolean =>
  request.status === RequestStatus.PENDING_ACTIVATION &&
  (request.codeNonce === undefined || request.codeNonce === codeNonce);

/**
 * A PATCH is written while the request is pending, for its owner, and only against the link it
 * was planned with: if the execution fixed the first link meanwhile, the change is planned again
 * (a new customer then needs a new link).
 */
export const mayCorrect = (
  request: SmartAccountRequest,
  partnerId: string,
  seenNonce: string | undefined,
): boolean =>
  request.status === RequestStatus.PENDING_ACTIVATION &&
  request.partnerId === partnerId &&
  request.codeNonce === seenNonce;

/**
 * A resend counts while the request is pending, for its owner, under the limit, and only once
 * the first e-mail fixed the link (there is nothing to send again before that).
 */
export const mayCountResend = (
  request: SmartAccountRequest,
  partnerId: string,
  maxResends: number,
): boolean =>
  request.status === RequestStatus.PENDING_ACTIVATION &&
  request.partnerId === partnerId &&
  request.resendCount < maxResends &&
  request.codeNonce !== undefined;

/** The first Settle to finish a status marks it; a retried Settle then mails nothing. */
export const mayMarkNotified = (request: SmartAccountRequest, status: RequestStatus): boolean =>
  request.notifiedStatus === undefined && request.status === status;

/**
 * Closed, but its outcome is not settled yet: a repeated decision or cancel signals the
 * workflow's wait again, since the first signal may have been lost.
 */
export const awaitsSettlement = (request: SmartAccountRequest): boolean =>
  isTerminal(request.status) && request.notifiedStatus === undefined;
