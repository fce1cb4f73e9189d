/**
 * The stores and the starter the webhook code depends on (contract: "Events and webhooks").
 * DynamoDB lives in functions/adapters/dynamo-webhook-endpoints.ts and dynamo-deliveries.ts;
 * the rules they write conditionally are functions/domain/webhook-endpoints.ts. A failure a
 * retry can fix is thrown as DependencyUnavailable, as by every other store.
 */

/** One signing secret; the current one first, an old one until its `expiresAt`. */
export interface SigningSecret {
  /** `whsec_` and the base64 key (Standard Webhooks). Never in an API answer but the create's and the rotation's. */
  readonly secret: string;
  readonly createdAt: string;
  /** null: the current secret; otherwise when it stops signing (24 h after a rotation). */
  readonly expiresAt: string | null;
}

export interface WebhookEndpoint {
  /** `whe_<ulid>` */
  readonly id: string;
  readonly partnerId: string;
  readonly url: string;
  /** The event types it receives; null: every type, also those added later. */
  readonly events: readonly string[] | null;
  readonly description: string | null;
  readonly createdAt: string;
  readonly secrets: readonly SigningSecret[];
}

export interface WebhookEndpointStore {
  /**
   * Stores a new endpoint while the partner has fewer than `maxPerPartner`; false when the
   * limit is reached. Its id is new, so a retried create of the same endpoint counts once.
   */
  create(endpoint: WebhookEndpoint, maxPerPartner: number): Promise<boolean>;
  /** The partner's endpoints, oldest first. */
  list(partnerId: string): Promise<WebhookEndpoint[]>;
  /** undefined also for another partner's endpoint: the partner is part of the key. */
  get(partnerId: string, endpointId: string): Promise<WebhookEndpoint | undefined>;
  /** false when the partner has no such endpoint. */
  delete(partnerId: string, endpointId: string): Promise<boolean>;
  /**
   * Replaces the secrets while the current one is still `replacing` (the one the rotation was
   * computed from), so of two concurrent rotations one wins and no secret shown to the partner
   * is silently dropped; undefined when the endpoint is gone or another rotation won.
   */
  rotate(
    partnerId: string,
    endpointId: string,
    secrets: WebhookEndpoint['secrets'],
    replacing: string,
  ): Promise<WebhookEndpoint | undefined>;
}

export const DeliveryStatus = {
  PENDING: 'pending',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
} as const;
export type DeliveryStatus = (typeof DeliveryStatus)[keyof typeof DeliveryStatus];
export const deliveryStatuses = [
  DeliveryStatus.PENDING,
  DeliveryStatus.SUCCEEDED,
  DeliveryStatus.FAILED,
] as const;

/** One event for one endpoint, and how its delivery is going. */
export interface Delivery {
  readonly endpointId: string;
  readonly partnerId: string;
  /** `evt_<ulid>`: also the `webhook-id` a receiver dedupes by. */
  readonly eventId: string;
  readonly type: string;
  /** The event JSON exactly as it is sent (and signed). */
  readonly payload: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly lastAttemptAt: string | null;
  readonly lastStatusCode: number | null;
  readonly nextAttemptAt: string | null;
  /** How often the partner asked to deliver it again. */
  readonly redeliveries: number;
  readonly createdAt: string;
}

export interface DeliveryPage {
  readonly items: Delivery[];
  readonly nextCursor: string | null;
}

export interface DeliveryAttempt {
  /** The count after this attempt: the write holds only while the store has one fewer. */
  readonly attempts: number;
  readonly at: string;
  readonly statusCode: number | null;
  readonly status: DeliveryStatus;
  readonly nextAttemptAt: string | null;
}

export interface DeliveryStore {
  /** Stores a new delivery; false when it exists already (a retry of the same fan-out). */
  create(delivery: Delivery): Promise<boolean>;
  get(endpointId: string, eventId: string): Promise<Delivery | undefined>;
  /**
   * Newest first. Throws ValidationFailed for a cursor that is not one of this endpoint's
   * pages, so a cursor cannot page through another endpoint's deliveries.
   */
  list(endpointId: string, options: { limit: number; cursor?: string }): Promise<DeliveryPage>;
  /**
   * Records one attempt, conditional on `attempts = attempt.attempts - 1`: a retried or
   * superseded attempt (the delivery was reopened meanwhile) writes nothing and gets false.
   */
  recordAttempt(endpointId: string, eventId: string, attempt: DeliveryAttempt): Promise<boolean>;
  /**
   * Redelivery: pending again from `at`, attempts back to 0, redeliveries + 1; undefined when
   * there is no such delivery.
   */
  reopen(endpointId: string, eventId: string, at: string): Promise<Delivery | undefined>;
  /**
   * Pending deliveries whose next attempt was due before `dueBefore` (every pending one when
   * it is undefined: the local stack's start), at most `limit` per shard.
   */
  overdue(dueBefore: Date | undefined, limit: number): Promise<readonly OverdueDelivery[]>;
}

/** What the sweep needs to start a pending delivery's execution again. */
export interface OverdueDelivery {
  readonly endpointId: string;
  readonly eventId: string;
  readonly attempts: number;
  readonly redeliveries: number;
}

/** Starts delivering one stored delivery (a Step Functions execution on AWS). */
export interface DeliveryStarter {
  /** `redelivery`: the delivery's redelivery number, so each gets an execution of its own. */
  start(endpointId: string, eventId: string, redelivery?: number): Promise<void>;
}
