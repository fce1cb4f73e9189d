import { newEventId } from '../shared/crypto.ts';
import { DependencyUnavailable } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { maskEmail } from '../shared/mask.ts';
import type { PendingEvent } from './event-outbox.ts';
import type { RequestEvent, TimelineType } from './events.ts';
import type { RequestStore } from './ports.ts';
import { type SmartAccountRequest, toResource } from './smart-account-request.ts';

/** Event items: the request's timeline (functions/adapters/dynamo-event-log.ts). */
export interface EventLog {
  /** Stores the event once (an item per event id); a repeat is a no-op. */
  put(requestId: string, event: RequestEvent): Promise<void>;
  /** The timeline, oldest first: the request's events and its e-mails. */
  timeline(requestId: string): Promise<TimelineEntry[]>;
  /** An e-mail SES accepted or bounced, for the timeline only. */
  recordEmail(requestId: string, entry: EmailEntry): Promise<void>;
}

export interface EmailEntry {
  readonly id: string;
  readonly type: TimelineType;
  readonly createdAt: string;
  readonly data: { readonly kind: string; readonly to: string };
}

export type TimelineEntry = RequestEvent | EmailEntry;

/** A timeline entry for an e-mail: its kind and the address masked (personal data). */
export const emailEntry = (
  type: TimelineType,
  kind: string,
  to: string,
  at: Date = new Date(),
): EmailEntry => ({
  id: newEventId(),
  type,
  createdAt: at.toISOString(),
  data: { kind, to: maskEmail(to) },
});

/** The bus the deploying team's rules listen on (EventBridge on AWS). */
export interface EventBus {
  put(event: RequestEvent): Promise<void>;
}

/** Hands an event to the partner's webhook endpoints (webhook-fan-out.ts). */
export type FanOut = (event: RequestEvent, partnerId: string) => Promise<void>;

/**
 * Publishes what a request's outbox holds: for each pending event, the event item, the bus
 * entry and the deliveries, then removes those events from the outbox. Every step repeats
 * harmlessly, so a crash anywhere leaves the events for the next publisher (at least once;
 * receivers dedupe by event id). `data` is the request as the publisher reads it: right after
 * the change on the normal path; after a crash, as it is when the sweep publishes.
 */
export class EventPublisher {
  constructor(
    private readonly requests: Pick<RequestStore, 'get' | 'clearPendingEvents'>,
    private readonly log: Pick<EventLog, 'put'>,
    private readonly bus: EventBus,
    private readonly fanOut: FanOut,
  ) {}

  /**
   * `written`: the request as the change's own write left it (the stored item or the update's
   * ALL_NEW), so the writer need not read it back. Events appended by a later write stay for
   * their own writer: the outbox is cleared only of the ones published here.
   */
  async publish(requestId: string, written?: SmartAccountRequest): Promise<number> {
    const request = written ?? (await this.requests.get(requestId));
    const pending: readonly PendingEvent[] = request?.pendingEvents ?? [];
    if (!request || pending.length === 0) return 0;
    const data = toResource(request);
    for (const marker of pending) {
      const event: RequestEvent = { ...marker, data };
      await this.log.put(request.id, event);
      await this.bus.put(event);
      await this.fanOut(event, request.partnerId);
    }
    await this.requests.clearPendingEvents(
      request.id,
      pending.map((event) => event.id),
    );
    logger.debug('events published', { requestId, events: pending.map((event) => event.type) });
    return pending.length;
  }

  /**
   * After a change a caller has already answered for (an API response): if the bus or a store
   * is unavailable, the events stay in the outbox and the sweep publishes them within a minute
   * (the change set a near sweepAt), so the caller's answer does not fail for it.
   */
  async publishOrLeaveToSweep(written: SmartAccountRequest): Promise<void> {
    const requestId = written.id;
    try {
      await this.publish(requestId, written);
    } catch (error) {
      if (!(error instanceof DependencyUnavailable)) throw error;
      logger.warn('events left to the sweep', { requestId, error: error.message });
    }
  }
}
