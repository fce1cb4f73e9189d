import type { SmartAccountRequestResource } from './resource-schemas.ts';

/**
 * Every change of a request is one event (contract: "Events and webhooks"). Each reaches the
 * EventBridge bus, the partner's webhook endpoints and the request's timeline.
 */
export const EventType = {
  CREATED: 'smart_account_request.created',
  /** A PATCH or an extension. */
  UPDATED: 'smart_account_request.updated',
  REMINDER_SENT: 'smart_account_request.reminder_sent',
  ACTIVATED: 'smart_account_request.activated',
  DECLINED: 'smart_account_request.declined',
  CANCELLED: 'smart_account_request.cancelled',
  EXPIRED: 'smart_account_request.expired',
  FAILED: 'smart_account_request.failed',
  /** Sent to one endpoint on the partner's request; never on the bus or in a timeline. */
  TEST: 'webhook.test',
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

/** What an endpoint may subscribe to: every change of a request. */
export const webhookEventTypes = [
  EventType.CREATED,
  EventType.UPDATED,
  EventType.REMINDER_SENT,
  EventType.ACTIVATED,
  EventType.DECLINED,
  EventType.CANCELLED,
  EventType.EXPIRED,
  EventType.FAILED,
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** The timeline's own entries: e-mails, with the address masked and the e-mail's kind. */
export const TimelineType = {
  EMAIL_SENT: 'email.sent',
  EMAIL_BOUNCED: 'email.bounced',
} as const;
export type TimelineType = (typeof TimelineType)[keyof typeof TimelineType];

/** An event as published and delivered: `data` is the resource right after the change. */
export interface RequestEvent {
  readonly id: string;
  readonly type: WebhookEventType;
  readonly createdAt: string;
  readonly data: SmartAccountRequestResource;
}

/** The source every event carries on the bus. */
export const EVENT_SOURCE = 'smart-account-requests';
