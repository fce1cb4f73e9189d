import { orphanReservations } from '../../functions/domain/webhook-endpoints.ts';
import {
  type Delivery,
  type DeliveryAttempt,
  type DeliveryPage,
  type DeliveryStarter,
  DeliveryStatus,
  type DeliveryStore,
  type OverdueDelivery,
  type SigningSecret,
  type WebhookEndpoint,
  type WebhookEndpointStore,
} from '../../functions/domain/webhook-ports.ts';
import { ValidationFailed } from '../../functions/shared/errors.ts';

/**
 * In-memory webhook stores with the adapters' semantics (the same conditions, the same
 * answers); test/unit/adapters/webhook-store-contract.test.ts runs the same cases on these and
 * on the DynamoDB adapters, so the two cannot drift apart.
 */

const copyEndpoint = (endpoint: WebhookEndpoint): WebhookEndpoint => ({
  ...endpoint,
  events: endpoint.events ? [...endpoint.events] : null,
  secrets: endpoint.secrets.map((secret) => ({ ...secret })),
});

export class InMemoryWebhookEndpoints implements WebhookEndpointStore {
  now: () => Date = () => new Date();
  /** Endpoint ids per partner, as the profile's reserved set. */
  readonly reserved = new Map<string, Set<string>>();
  private readonly endpoints = new Map<string, WebhookEndpoint>();

  private key(partnerId: string, endpointId: string): string {
    return `${partnerId}/${endpointId}`;
  }

  private slotsOf(partnerId: string): Set<string> {
    let slots = this.reserved.get(partnerId);
    if (!slots) {
      slots = new Set();
      this.reserved.set(partnerId, slots);
    }
    return slots;
  }

  private reserve(endpoint: WebhookEndpoint, max: number): boolean {
    const slots = this.slotsOf(endpoint.partnerId);
    if (slots.size >= max && !slots.has(endpoint.id)) return false;
    slots.add(endpoint.id);
    return true;
  }

  async create(endpoint: WebhookEndpoint, maxPerPartner: number): Promise<boolean> {
    if (!this.reserve(endpoint, maxPerPartner)) {
      const slots = this.slotsOf(endpoint.partnerId);
      const stored = (await this.list(endpoint.partnerId)).map((stored) => stored.id);
      const orphans = orphanReservations([...slots], stored, this.now());
      if (orphans.length === 0) return false;
      for (const orphan of orphans) slots.delete(orphan);
      if (!this.reserve(endpoint, maxPerPartner)) return false;
    }
    const key = this.key(endpoint.partnerId, endpoint.id);
    if (!this.endpoints.has(key)) this.endpoints.set(key, copyEndpoint(endpoint));
    return true;
  }

  async list(partnerId: string): Promise<WebhookEndpoint[]> {
    return [...this.endpoints.values()]
      .filter((endpoint) => endpoint.partnerId === partnerId)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map(copyEndpoint);
  }

  async get(partnerId: string, endpointId: string): Promise<WebhookEndpoint | undefined> {
    const endpoint = this.endpoints.get(this.key(partnerId, endpointId));
    return endpoint ? copyEndpoint(endpoint) : undefined;
  }

  async delete(partnerId: string, endpointId: string): Promise<boolean> {
    const deleted = this.endpoints.delete(this.key(partnerId, endpointId));
    this.reserved.get(partnerId)?.delete(endpointId);
    return deleted;
  }

  async rotate(
    partnerId: string,
    endpointId: string,
    secrets: readonly SigningSecret[],
    replacing: string,
  ): Promise<WebhookEndpoint | undefined> {
    const key = this.key(partnerId, endpointId);
    const endpoint = this.endpoints.get(key);
    if (!endpoint || endpoint.secrets[0]?.secret !== replacing) return undefined;
    const rotated = copyEndpoint({ ...endpoint, secrets });
    this.endpoints.set(key, rotated);
    return copyEndpoint(rotated);
  }

  /** A reservation left by a create that crashed before storing its endpoint. */
  reserveOnly(partnerId: string, endpointId: string): void {
    this.slotsOf(partnerId).add(endpointId);
  }
}

const CURSOR_PREFIX = 'memory:';

export class InMemoryDeliveries implements DeliveryStore {
  private readonly deliveries = new Map<string, Delivery>();

  private key(endpointId: string, eventId: string): string {
    return `${endpointId}/${eventId}`;
  }

  async create(delivery: Delivery): Promise<boolean> {
    const key = this.key(delivery.endpointId, delivery.eventId);
    if (this.deliveries.has(key)) return false;
    this.deliveries.set(key, { ...delivery });
    return true;
  }

  async get(endpointId: string, eventId: string): Promise<Delivery | undefined> {
    const delivery = this.deliveries.get(this.key(endpointId, eventId));
    return delivery ? { ...delivery } : undefined;
  }

  async list(
    endpointId: string,
    options: { limit: number; cursor?: string },
  ): Promise<DeliveryPage> {
    let after: string | undefined;
    if (options.cursor !== undefined) {
      const decoded = Buffer.from(options.cursor, 'base64url').toString('utf8');
      const [prefix, cursorEndpoint, eventId] = decoded.split('|');
      if (prefix !== CURSOR_PREFIX || cursorEndpoint !== endpointId || !eventId) {
        throw new ValidationFailed([
          { path: 'cursor', message: 'Not a cursor this list returned.' },
        ]);
      }
      after = eventId;
    }
    const newestFirst = [...this.deliveries.values()]
      .filter((delivery) => delivery.endpointId === endpointId)
      .filter((delivery) => after === undefined || delivery.eventId < after)
      .sort((a, b) => (a.eventId < b.eventId ? 1 : -1));
    const items = newestFirst.slice(0, options.limit).map((delivery) => ({ ...delivery }));
    const last = items.at(-1);
    return {
      items,
      nextCursor:
        newestFirst.length > options.limit && last
          ? Buffer.from(`${CURSOR_PREFIX}|${endpointId}|${last.eventId}`).toString('base64url')
          : null,
    };
  }

  async recordAttempt(
    endpointId: string,
    eventId: string,
    attempt: DeliveryAttempt,
  ): Promise<boolean> {
    const key = this.key(endpointId, eventId);
    const delivery = this.deliveries.get(key);
    if (!delivery || delivery.attempts !== attempt.attempts - 1) return false;
    this.deliveries.set(key, {
      ...delivery,
      attempts: attempt.attempts,
      lastAttemptAt: attempt.at,
      lastStatusCode: attempt.statusCode,
      status: attempt.status,
      nextAttemptAt: attempt.nextAttemptAt,
    });
    return true;
  }

  async reopen(endpointId: string, eventId: string, at: string): Promise<Delivery | undefined> {
    const key = this.key(endpointId, eventId);
    const delivery = this.deliveries.get(key);
    if (!delivery) return undefined;
    const reopened: Delivery = {
      ...delivery,
      status: DeliveryStatus.PENDING,
      attempts: 0,
      nextAttemptAt: at,
      redeliveries: delivery.redeliveries + 1,
    };
    this.deliveries.set(key, reopened);
    return { ...reopened };
  }

  async overdue(dueBefore: Date | undefined, limit: number): Promise<readonly OverdueDelivery[]> {
    return [...this.deliveries.values()]
      .filter((delivery) => delivery.status === DeliveryStatus.PENDING && delivery.nextAttemptAt)
      .filter(
        (delivery) =>
          dueBefore === undefined ||
          Date.parse(delivery.nextAttemptAt ?? '') <= dueBefore.getTime(),
      )
      .slice(0, limit)
      .map(({ endpointId, eventId, attempts, redeliveries }) => ({
        endpointId,
        eventId,
        attempts,
        redeliveries,
      }));
  }
}

/** Records what was started, as the Step Functions starter would start it. */
export class RecordingStarter implements DeliveryStarter {
  readonly started: { endpointId: string; eventId: string; redelivery?: number }[] = [];

  async start(endpointId: string, eventId: string, redelivery?: number): Promise<void> {
    this.started.push({ endpointId, eventId, ...(redelivery === undefined ? {} : { redelivery }) });
  }
}
