import { newEventId } from '../shared/crypto.ts';
import { RequestStatus } from '../shared/status.ts';
import { EventType, type WebhookEventType } from './events.ts';

/**
 * The outbox: every write that changes a request appends the change's event to the request's
 * own `pendingEvents`, in the same conditional write. The change and its event are one atomic
 * write, so no event can be lost between them (DynamoDB has no transaction here: dynalite).
 * A publisher then turns each into the event item, the bus entry and the deliveries, and only
 * then removes it: right after the write on the normal path, and in the sweep (or Settle) after
 * a crash.
 */
export interface PendingEvent {
  readonly id: string;
  readonly type: WebhookEventType;
  readonly createdAt: string;
}

export const pendingEvent = (type: WebhookEventType, at: Date): PendingEvent => ({
  id: newEventId(),
  type,
  createdAt: at.toISOString(),
});

/** The event a close writes. */
export const closeEventType = (status: RequestStatus): WebhookEventType => {
  switch (status) {
    case RequestStatus.ACTIVE:
      return EventType.ACTIVATED;
    case RequestStatus.DECLINED:
      return EventType.DECLINED;
    case RequestStatus.CANCELLED:
      return EventType.CANCELLED;
    case RequestStatus.EXPIRED:
      return EventType.EXPIRED;
    case RequestStatus.FAILED:
      return EventType.FAILED;
    default:
      throw new TypeError(`${status} is not a close`);
  }
};
