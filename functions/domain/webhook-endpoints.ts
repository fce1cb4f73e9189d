import { decodeTime } from 'ulid';
import { EventType, type WebhookEventType, webhookEventTypes } from './events.ts';
import {
  type Delivery,
  DeliveryStatus,
  type SigningSecret,
  type WebhookEndpoint,
} from './webhook-ports.ts';
import type {
  AddEndpointInput,
  DeliveryResource,
  WebhookEndpointResource,
} from './webhook-schemas.ts';

/**
 * The rules of a partner's webhook endpoints (contract: "Events and webhooks"): how many, which
 * secrets sign, what a rotation keeps, what partners see. Pure; the stores write them
 * conditionally, webhook-management.ts runs them.
 */

export const MAX_ENDPOINTS = 10;
/** After a rotation the old secret signs too for this long, while receivers switch. */
export const ROTATION_OVERLAP_HOURS = 24;
/**
 * At most this many secrets sign at once. A partner rotating again and again within a day
 * would otherwise grow the item and every signature header without bound; the secret just
 * replaced is always kept, only the oldest of several old ones goes early.
 */
export const MAX_SIGNING_SECRETS = 5;
/** Delivery records expire (TTL) this long after they were made or last redelivered. */
export const DELIVERY_RETENTION_DAYS = 30;
/**
 * A reserved endpoint slot whose endpoint was never stored (the create crashed between its two
 * writes) is freed after this long: longer than any create takes, as for domain locks.
 */
export const RESERVATION_GRACE_SECONDS = 60;

const HOUR_MS = 3_600_000;
const DAY_S = 86_400;

const isValidAt = (secret: SigningSecret, now: Date): boolean =>
  secret.expiresAt === null || Date.parse(secret.expiresAt) > now.getTime();

/** The secrets a delivery at `now` is signed with: the current one and any still overlapping. */
export const signingSecrets = (endpoint: Pick<WebhookEndpoint, 'secrets'>, now: Date): string[] =>
  endpoint.secrets.filter((secret) => isValidAt(secret, now)).map((secret) => secret.secret);

/**
 * The secrets after a rotation: the new one first (current, no expiry), then those still
 * valid, the one it replaces now expiring `ROTATION_OVERLAP_HOURS` from now. An old secret
 * that already had an expiry keeps it; expired ones are dropped.
 */
export const rotatedSecrets = (
  endpoint: Pick<WebhookEndpoint, 'secrets'>,
  newSecret: string,
  now: Date,
): SigningSecret[] => {
  const overlapEnd = new Date(now.getTime() + ROTATION_OVERLAP_HOURS * HOUR_MS).toISOString();
  const kept = endpoint.secrets
    .filter((secret) => isValidAt(secret, now))
    .map((secret) => ({ ...secret, expiresAt: secret.expiresAt ?? overlapEnd }));
  return [
    { secret: newSecret, createdAt: now.toISOString(), expiresAt: null },
    ...kept.slice(0, MAX_SIGNING_SECRETS - 1),
  ];
};

/** A new endpoint with its first secret; `events` left out means every type. */
export const newEndpoint = (
  partnerId: string,
  input: AddEndpointInput,
  created: { readonly id: string; readonly secret: string; readonly now: Date },
): WebhookEndpoint => ({
  id: created.id,
  partnerId,
  url: input.url,
  events: input.events ? [...input.events] : null,
  description: input.description,
  createdAt: created.now.toISOString(),
  secrets: [{ secret: created.secret, createdAt: created.now.toISOString(), expiresAt: null }],
});

/** Whether an endpoint receives events of this type (a test event goes to the one tested). */
export const isSubscribed = (endpoint: Pick<WebhookEndpoint, 'events'>, type: string): boolean =>
  endpoint.events === null || endpoint.events.includes(type);

const isWebhookEventType = (type: string): type is WebhookEventType =>
  (webhookEventTypes as readonly string[]).includes(type);

const keysOf = <K extends string>(fields: Record<K, true>): K[] => Object.keys(fields) as K[];

const pick = <T extends object, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> =>
  Object.fromEntries(keys.map((key) => [key, value[key]])) as Pick<T, K>;

/**
 * The resource's keys; the type makes them exactly the schema's, so nothing else (the secrets)
 * can be listed and a new resource field does not compile until it is here.
 */
const endpointKeys = keysOf<keyof WebhookEndpointResource>({
  id: true,
  url: true,
  events: true,
  description: true,
  createdAt: true,
});

/** The partner's view of an endpoint: never its secrets (dropped by construction). */
export const toEndpointResource = (endpoint: WebhookEndpoint): WebhookEndpointResource => ({
  ...pick(endpoint, endpointKeys),
  // A type no longer offered is not shown as if it were one.
  events: endpoint.events === null ? null : endpoint.events.filter(isWebhookEventType),
});

const deliveryKeys = keysOf<keyof DeliveryResource>({
  eventId: true,
  type: true,
  status: true,
  attempts: true,
  lastAttemptAt: true,
  lastStatusCode: true,
  nextAttemptAt: true,
});

/** The partner's view of a delivery: not the payload, the partner id or the bookkeeping. */
export const toDeliveryResource = (delivery: Delivery): DeliveryResource =>
  pick(delivery, deliveryKeys);

/** The event `POST …/{id}/test` delivers to the endpoint tested. */
export interface TestEvent {
  readonly id: string;
  readonly type: typeof EventType.TEST;
  readonly createdAt: string;
  readonly data: { readonly endpointId: string };
}

export const testEvent = (endpointId: string, eventId: string, now: Date): TestEvent => ({
  id: eventId,
  type: EventType.TEST,
  createdAt: now.toISOString(),
  data: { endpointId },
});

/** A delivery of one event to one endpoint, due at once. */
export const newDelivery = (
  endpoint: Pick<WebhookEndpoint, 'id' | 'partnerId'>,
  event: { readonly id: string; readonly type: string; readonly createdAt: string },
  payload: string,
): Delivery => ({
  endpointId: endpoint.id,
  partnerId: endpoint.partnerId,
  eventId: event.id,
  type: event.type,
  payload,
  status: DeliveryStatus.PENDING,
  attempts: 0,
  lastAttemptAt: null,
  lastStatusCode: null,
  nextAttemptAt: event.createdAt,
  redeliveries: 0,
  createdAt: event.createdAt,
});

/** The delivery record's TTL (epoch seconds): `DELIVERY_RETENTION_DAYS` after `from`. */
export const deliveryExpiry = (from: string): number =>
  Math.floor(Date.parse(from) / 1000) + DELIVERY_RETENTION_DAYS * DAY_S;

/**
 * The reserved endpoint slots that no endpoint holds and that are older than the grace period:
 * a create reserved them and crashed before storing its endpoint. Endpoint ids are ULIDs, so
 * the id says when its slot was reserved; an id that is no ULID counts as old.
 */
export const orphanReservations = (
  reserved: readonly string[],
  stored: readonly string[],
  now: Date,
): string[] => {
  const held = new Set(stored);
  return reserved.filter((id) => {
    if (held.has(id)) return false;
    let reservedAt: number;
    try {
      reservedAt = decodeTime(id.replace(/^whe_/, ''));
    } catch {
      return true;
    }
    return now.getTime() - reservedAt > RESERVATION_GRACE_SECONDS * 1000;
  });
};
