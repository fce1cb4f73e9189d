import { decodeCursor, encodeCursor } from '../../functions/adapters/list-cursor.ts';
import { listCursorIndex } from '../../functions/adapters/request-list-query.ts';
import { filterKeys, keys } from '../../functions/adapters/table-keys.ts';
import type { DomainLock } from '../../functions/domain/domain-lock.ts';
import { pendingEvent } from '../../functions/domain/event-outbox.ts';
import { EventType, type WebhookEventType } from '../../functions/domain/events.ts';
import {
  applyClosing,
  type CloseGuard,
  closingOf,
  isOwnedBy,
  mayAttachActivation,
  mayClose,
  mayCorrect,
  mayCountResend,
  mayMarkNotified,
} from '../../functions/domain/lifecycle.ts';
import type {
  ActivationWait,
  CloseOutcome,
  DomainLocks,
  ListPage,
  Partner,
  PartnerStore,
  RequestCorrection,
  RequestStore,
  RetentionPlan,
} from '../../functions/domain/ports.ts';
import {
  matchesFilter,
  planList,
  type RequestFilter,
} from '../../functions/domain/request-filters.ts';
import type { SmartAccountRequest } from '../../functions/domain/smart-account-request.ts';
import { SweepDelay, sweepAfter } from '../../functions/domain/sweep.ts';
import { RequestStatus } from '../../functions/shared/status.ts';

export const NOW = new Date('2026-11-25T10:00:00.000Z');

export const PARTNER: Partner = {
  id: 'partner-1',
  name: 'Partner One',
  contactEmail: 'ops@partner.example',
};

export const aRequest = (overrides: Partial<SmartAccountRequest> = {}): SmartAccountRequest => ({
  id: 'sar_01TEST',
  partnerId: PARTNER.id,
  partnerName: PARTNER.name,
  status: RequestStatus.PENDING_ACTIVATION,
  accountName: 'Acme BV',
  accountDomain: 'acme.example',
  customerEmail: 'it@acme.example',
  noteToCustomer: 'Please activate.',
  userEmails: ['a@acme.example', 'b@acme.example'],
  noteToUsers: 'Welcome.',
  locale: 'en',
  createdAt: NOW.toISOString(),
  expiresAt: '2027-02-23T10:00:00.000Z',
  activatedAt: null,
  closedAt: null,
  closeReason: null,
  history: [{ status: RequestStatus.PENDING_ACTIVATION, at: NOW.toISOString() }],
  resendCount: 0,
  ...overrides,
});

/** A change's event in the outbox and a near sweep, as the DynamoDB adapter writes them. */
const withEvent = (
  request: SmartAccountRequest,
  type: WebhookEventType,
  at: Date,
): SmartAccountRequest => ({
  ...request,
  pendingEvents: [...(request.pendingEvents ?? []), pendingEvent(type, at)],
  sweepAt: sweepAfter(at, SweepDelay.AFTER_CHANGE_SECONDS),
});

/**
 * The RequestStore contract in memory. Each write applies the same rule of
 * functions/domain/lifecycle.ts that the DynamoDB adapter states as a condition, and
 * test/unit/adapters/request-store-contract.test.ts runs the same cases against both, so this
 * fake cannot drift from the real store.
 */
export class InMemoryRequestStore implements RequestStore {
  readonly requests = new Map<string, SmartAccountRequest>();
  readonly codes = new Map<string, string>();
  readonly calls: string[] = [];
  /** The time a close is stamped with when the caller gives none. */
  now: () => Date = () => NOW;

  constructor(...initial: SmartAccountRequest[]) {
    for (const request of initial) this.put(request);
  }

  /** Test setup: a request as it would be stored by now, with its code item if it has one. */
  put(request: SmartAccountRequest): void {
    this.requests.set(request.id, request);
    if (request.codeHash) this.codes.set(request.codeHash, request.id);
  }

  async insert(request: SmartAccountRequest): Promise<void> {
    this.calls.push(`insert ${request.id}`);
    if (!this.requests.has(request.id)) this.requests.set(request.id, request);
  }

  async get(requestId: string): Promise<SmartAccountRequest | undefined> {
    this.calls.push(`get ${requestId}`);
    return this.requests.get(requestId);
  }

  async findByCodeHash(codeHash: string): Promise<SmartAccountRequest | undefined> {
    const id = this.codes.get(codeHash);
    const request = id ? this.requests.get(id) : undefined;
    return request?.codeHash === codeHash ? request : undefined;
  }

  async listByPartner(
    partnerId: string,
    options: RequestFilter & { limit: number; cursor?: string },
  ): Promise<ListPage> {
    const { limit, cursor, ...filter } = options;
    const index = listCursorIndex(partnerId, filter);
    // The order of the index the real list reads: by creation, or by expiry (request-filters.ts).
    const sortValue = (request: SmartAccountRequest) =>
      planList(filter).order === 'expiresAt'
        ? filterKeys.expiry(request.expiresAt, request.id)
        : `${request.createdAt}#${request.id}`;
    const after = cursor ? decodeCursor(cursor, index)[index.sortKey] : undefined;
    const matching = [...this.requests.values()]
      .filter((request) => request.partnerId === partnerId && matchesFilter(request, filter))
      // Newest first, in DynamoDB's byte order of the index's sort key.
      .sort((a, b) => (sortValue(a) < sortValue(b) ? 1 : -1))
      .filter((request) => after === undefined || sortValue(request) < after);
    const items = matching.slice(0, limit);
    const last = items.at(-1);
    return {
      items,
      nextCursor:
        matching.length > items.length && last
          ? encodeCursor(
              {
                ...keys.request(last.id),
                [index.partitionKey]: index.partition,
                [index.sortKey]: sortValue(last),
              },
              index,
            )
          : null,
    };
  }

  async close(
    requestId: string,
    to: RequestStatus,
    options: CloseGuard & { reason?: string; at?: Date; declineReason?: string | null } = {},
  ): Promise<CloseOutcome | undefined> {
    this.calls.push(`close ${requestId} ${to}`);
    const current = this.requests.get(requestId);
    if (!current || !isOwnedBy(current, options.partnerId)) return undefined;
    if (!mayClose(current, to, options)) return { won: false, request: current };
    const closed = applyClosing(
      current,
      closingOf(to, options.at ?? this.now(), options.reason, options.declineReason),
    );
    this.requests.set(requestId, closed);
    return { won: true, request: closed };
  }

  async attachActivation(
    requestId: string,
    activation: ActivationWait,
  ): Promise<SmartAccountRequest | undefined> {
    this.codes.set(activation.codeHash, requestId);
    const current = this.requests.get(requestId);
    if (!current || !mayAttachActivation(current, activation.codeNonce)) return undefined;
    const attached = { ...current, ...activation };
    this.requests.set(requestId, attached);
    return attached;
  }

  async extend(
    requestId: string,
    change: { from: string; to: string; nextReminderAt: string | null },
  ): Promise<SmartAccountRequest | undefined> {
    this.calls.push(`extend ${requestId}`);
    const current = this.requests.get(requestId);
    if (current?.status !== RequestStatus.PENDING_ACTIVATION || current.expiresAt !== change.from) {
      return undefined;
    }
    const extended = {
      ...withEvent(current, EventType.UPDATED, this.now()),
      expiresAt: change.to,
      nextReminderAt: change.nextReminderAt,
    };
    this.requests.set(requestId, extended);
    return extended;
  }

  async correct(
    requestId: string,
    correction: RequestCorrection,
  ): Promise<SmartAccountRequest | undefined> {
    this.calls.push(`correct ${requestId}`);
    const { newLink } = correction;
    if (newLink) this.codes.set(newLink.codeHash, requestId);
    const current = this.requests.get(requestId);
    if (!current || !mayCorrect(current, correction.partnerId, correction.seenNonce)) {
      return undefined;
    }
    const { activationSentAt: _unsentWithANewLink, ...rest } = withEvent(
      current,
      EventType.UPDATED,
      this.now(),
    );
    const corrected: SmartAccountRequest = newLink
      ? { ...rest, ...correction.fields, codeNonce: newLink.codeNonce, codeHash: newLink.codeHash }
      : { ...withEvent(current, EventType.UPDATED, this.now()), ...correction.fields };
    this.requests.set(requestId, corrected);
    if (newLink?.replaces) this.codes.delete(newLink.replaces);
    return corrected;
  }

  async clearPendingEvents(requestId: string, eventIds: readonly string[]): Promise<void> {
    const current = this.requests.get(requestId);
    const pending = current?.pendingEvents ?? [];
    if (!current || !eventIds.every((id, index) => pending[index]?.id === id)) return;
    this.requests.set(requestId, { ...current, pendingEvents: pending.slice(eventIds.length) });
  }

  async recordReminder(requestId: string, key: string): Promise<void> {
    this.calls.push(`recordReminder ${key}`);
    const current = this.requests.get(requestId);
    if (!current || current.sentEmails?.has(key)) return;
    this.requests.set(requestId, {
      ...withEvent(current, EventType.REMINDER_SENT, this.now()),
      sentEmails: new Set([...(current.sentEmails ?? []), key]),
      remindersSent: (current.remindersSent ?? 0) + 1,
    });
  }

  async planNextReminder(
    requestId: string,
    change: { from: string; to: string | null },
  ): Promise<void> {
    this.calls.push(`planNextReminder ${change.to}`);
    const current = this.requests.get(requestId);
    if (current?.status !== RequestStatus.PENDING_ACTIVATION) return;
    if (current.nextReminderAt !== change.from) return;
    this.requests.set(requestId, { ...current, nextReminderAt: change.to });
  }

  async markActivationSent(requestId: string, at: Date): Promise<void> {
    this.calls.push(`markActivationSent ${requestId}`);
    const current = this.requests.get(requestId);
    if (!current || current.activationSentAt) return;
    this.requests.set(requestId, { ...current, activationSentAt: at.toISOString() });
  }

  async countResend(
    requestId: string,
    partnerId: string,
    maxResends: number,
  ): Promise<
    { ok: true; request: SmartAccountRequest } | { ok: false; request?: SmartAccountRequest }
  > {
    const current = this.requests.get(requestId);
    if (!current || !isOwnedBy(current, partnerId)) return { ok: false };
    if (!mayCountResend(current, partnerId, maxResends)) return { ok: false, request: current };
    const counted = { ...current, resendCount: current.resendCount + 1 };
    this.requests.set(requestId, counted);
    return { ok: true, request: counted };
  }

  async recordSentEmail(requestId: string, key: string): Promise<void> {
    this.calls.push(`recordSentEmail ${key}`);
    const current = this.requests.get(requestId);
    if (!current) return;
    this.requests.set(requestId, {
      ...current,
      sentEmails: new Set([...(current.sentEmails ?? []), key]),
    });
  }

  async markNotified(
    requestId: string,
    status: RequestStatus,
    retention?: RetentionPlan,
  ): Promise<boolean> {
    this.calls.push(`markNotified ${status}`);
    const current = this.requests.get(requestId);
    if (!current || !mayMarkNotified(current, status)) return false;
    const { sweepAt: _leavesTheSweepIndex, ...settled } = current;
    this.requests.set(requestId, {
      ...settled,
      notifiedStatus: status,
      ...(retention ? { retainUntil: retention.retainUntil } : {}),
      ...(retention?.bySweep ? { sweepAt: retention.retainUntil } : {}),
    });
    return true;
  }
}

/** The DomainLocks contract in memory: the same conditional writes as DynamoDomainLocks. */
export class InMemoryDomainLocks implements DomainLocks {
  readonly locks = new Map<string, DomainLock>();

  async take(lock: DomainLock): Promise<boolean> {
    if (this.locks.has(lock.domain)) return false;
    this.locks.set(lock.domain, lock);
    return true;
  }

  async get(domain: string): Promise<DomainLock | undefined> {
    return this.locks.get(domain);
  }

  async takeOver(lock: DomainLock, previousHolder: string): Promise<boolean> {
    if (this.locks.get(lock.domain)?.requestId !== previousHolder) return false;
    this.locks.set(lock.domain, lock);
    return true;
  }

  async release(lock: Pick<DomainLock, 'domain' | 'requestId'>): Promise<void> {
    if (this.locks.get(lock.domain)?.requestId === lock.requestId) this.locks.delete(lock.domain);
  }

  async markAccount(domain: string, requestId: string, activatedAt: string): Promise<void> {
    const lock = this.locks.get(domain);
    if (lock?.requestId !== requestId) return;
    this.locks.set(domain, { ...lock, activatedAt: lock.activatedAt ?? activatedAt });
  }
}

export class InMemoryPartnerStore implements PartnerStore {
  constructor(private readonly partners: readonly Partner[] = [PARTNER]) {}

  async get(partnerId: string): Promise<Partner | undefined> {
    return this.partners.find((partner) => partner.id === partnerId);
  }

  async create(): Promise<boolean> {
    return true;
  }
}
