import { logger } from '../shared/logger.ts';
import type { FanOut } from './event-publisher.ts';
import { isSubscribed, newDelivery, signingSecrets } from './webhook-endpoints.ts';
import {
  type Delivery,
  type DeliveryStarter,
  DeliveryStatus,
  type DeliveryStore,
  type WebhookEndpointStore,
} from './webhook-ports.ts';

/** What a delivery's execution does next: stop, or wait this long and attempt again. */
export interface AttemptPlan {
  readonly done: boolean;
  readonly waitSeconds: number;
}

/** The outcome of one POST (functions/adapters/webhook-sender.ts). */
export interface SendResult {
  readonly ok: boolean;
  readonly statusCode: number | null;
  readonly error?: string;
}

export type SendWebhook = (
  url: string,
  body: string,
  headers: Readonly<Record<string, string>>,
) => Promise<SendResult>;

export type Sign = (
  secrets: readonly string[],
  id: string,
  timestampSeconds: number,
  body: string,
) => Readonly<Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string>>;

/** What happened to an attempt, for the metrics. */
export const AttemptOutcome = {
  SUCCEEDED: 'succeeded',
  RETRYING: 'retrying',
  FAILED: 'failed',
  /** Nothing to do: delivered, failed or reopened already (a repeated or superseded execution). */
  SKIPPED: 'skipped',
} as const;
export type AttemptOutcome = (typeof AttemptOutcome)[keyof typeof AttemptOutcome];

/**
 * Fans an event out to the partner's endpoints that take its type: one delivery item each
 * (created once; a repeated fan-out finds it) and one execution each, so a slow or failing
 * endpoint delays no other endpoint and never the request's own workflow.
 */
export const webhookFanOut =
  (
    endpoints: Pick<WebhookEndpointStore, 'list'>,
    deliveries: Pick<DeliveryStore, 'create'>,
    starter: DeliveryStarter,
  ): FanOut =>
  async (event, partnerId) => {
    const payload = JSON.stringify(event);
    const subscribed = (await endpoints.list(partnerId)).filter((endpoint) =>
      isSubscribed(endpoint, event.type),
    );
    // Side by side: no endpoint's delivery waits for another's writes to be started.
    await Promise.all(
      subscribed.map(async (endpoint) => {
        await deliveries.create(newDelivery(endpoint, event, payload));
        // Started even when the delivery existed: the first fan-out may have died before this.
        await starter.start(endpoint.id, event.id);
      }),
    );
  };

/**
 * One attempt of one delivery, run by its execution. The delivery item is the schedule: the
 * attempt reads it, POSTs (checking the address again), records the attempt conditionally on
 * the attempt count it read, and answers when to try again. A retried or duplicate execution
 * finds the attempt recorded, or the delivery closed, and stops.
 */
export class DeliveryAttempts {
  constructor(
    private readonly deliveries: Pick<DeliveryStore, 'get' | 'recordAttempt'>,
    private readonly endpoints: Pick<WebhookEndpointStore, 'get'>,
    private readonly send: SendWebhook,
    private readonly sign: Sign,
    private readonly retrySeconds: readonly number[],
  ) {}

  async attempt(
    endpointId: string,
    eventId: string,
    now: Date = new Date(),
  ): Promise<AttemptPlan & { readonly outcome: AttemptOutcome }> {
    const skipped = { done: true, waitSeconds: 0, outcome: AttemptOutcome.SKIPPED };
    const delivery = await this.deliveries.get(endpointId, eventId);
    if (!delivery || delivery.status !== DeliveryStatus.PENDING) return skipped;
    // Woken early (a restarted execution): wait for the planned attempt.
    const dueInMs = delivery.nextAttemptAt ? Date.parse(delivery.nextAttemptAt) - now.getTime() : 0;
    if (dueInMs > 1000) {
      return {
        done: false,
        waitSeconds: Math.ceil(dueInMs / 1000),
        outcome: AttemptOutcome.RETRYING,
      };
    }
    const endpoint = await this.endpoints.get(delivery.partnerId, endpointId);
    const result: SendResult = endpoint
      ? await this.send(
          endpoint.url,
          delivery.payload,
          this.sign(
            signingSecrets(endpoint, now),
            delivery.eventId,
            Math.floor(now.getTime() / 1000),
            delivery.payload,
          ),
        )
      : // Deleted meanwhile: nothing more is delivered to it (contract).
        { ok: false, statusCode: null, error: 'The endpoint was deleted.' };
    return this.record(delivery, result, now, endpoint === undefined);
  }

  private async isOwnWrite(delivery: Delivery, attempts: number, now: Date): Promise<boolean> {
    const current = await this.deliveries.get(delivery.endpointId, delivery.eventId);
    return current?.attempts === attempts && current.lastAttemptAt === now.toISOString();
  }

  private async record(
    delivery: Delivery,
    result: SendResult,
    now: Date,
    endpointGone: boolean,
  ): Promise<AttemptPlan & { readonly outcome: AttemptOutcome }> {
    const attempts = delivery.attempts + 1;
    const delay = this.retrySeconds[attempts - 1];
    const giveUp = endpointGone || delay === undefined;
    const status = result.ok
      ? DeliveryStatus.SUCCEEDED
      : giveUp
        ? DeliveryStatus.FAILED
        : DeliveryStatus.PENDING;
    const nextAttemptAt =
      status === DeliveryStatus.PENDING
        ? new Date(now.getTime() + (delay as number) * 1000).toISOString()
        : null;
    const recorded = await this.deliveries.recordAttempt(delivery.endpointId, delivery.eventId, {
      attempts,
      at: now.toISOString(),
      statusCode: result.statusCode,
      status,
      nextAttemptAt,
    });
    // Another execution recorded this attempt, or the partner reopened the delivery (which
    // started an execution of its own): this one stops. Unless the write that "failed" was
    // this one, landed, and its reply was lost (the SDK retried it against itself).
    if (!recorded && !(await this.isOwnWrite(delivery, attempts, now))) {
      return { done: true, waitSeconds: 0, outcome: AttemptOutcome.SKIPPED };
    }
    if (!result.ok) {
      logger.info('webhook delivery attempt failed', {
        endpointId: delivery.endpointId,
        eventId: delivery.eventId,
        attempts,
        statusCode: result.statusCode,
        error: result.error,
      });
    }
    if (status === DeliveryStatus.PENDING) {
      return { done: false, waitSeconds: delay as number, outcome: AttemptOutcome.RETRYING };
    }
    return {
      done: true,
      waitSeconds: 0,
      outcome:
        status === DeliveryStatus.SUCCEEDED ? AttemptOutcome.SUCCEEDED : AttemptOutcome.FAILED,
    };
  }
}
