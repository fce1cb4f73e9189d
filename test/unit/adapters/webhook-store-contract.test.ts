import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDeliveries } from '../../../functions/adapters/dynamo-deliveries.ts';
import { DynamoWebhookEndpoints } from '../../../functions/adapters/dynamo-webhook-endpoints.ts';
import { keys } from '../../../functions/adapters/table-keys.ts';
import {
  newDelivery,
  RESERVATION_GRACE_SECONDS,
  rotatedSecrets,
} from '../../../functions/domain/webhook-endpoints.ts';
import type {
  Delivery,
  DeliveryStore,
  WebhookEndpoint,
  WebhookEndpointStore,
} from '../../../functions/domain/webhook-ports.ts';
import { ValidationFailed } from '../../../functions/shared/errors.ts';
import { type DynaliteTable, startDynaliteTable } from '../../support/dynalite-table.ts';
import { InMemoryDeliveries, InMemoryWebhookEndpoints } from '../../support/in-memory-webhooks.ts';

/**
 * The same webhook store cases against the in-memory fakes the domain tests use and against
 * the DynamoDB adapters on dynalite: if a fake drifts from DynamoDB's behaviour, one fails.
 */

const NOW = new Date('2026-12-01T10:00:00.000Z');
let clock = NOW;
const now = () => clock;
const secondsLater = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

interface Backend {
  readonly endpoints: WebhookEndpointStore;
  readonly deliveries: DeliveryStore;
  /** What a create that crashed between its two writes leaves behind: a slot, no endpoint. */
  leaveReservation(partnerId: string, endpointId: string): Promise<void>;
}

let table: DynaliteTable | undefined;

beforeAll(async () => {
  table = await startDynaliteTable();
});

afterAll(async () => {
  await table?.stop();
});

const backends: [string, () => Backend][] = [
  [
    'the in-memory fakes',
    () => {
      const endpoints = new InMemoryWebhookEndpoints();
      endpoints.now = now;
      return {
        endpoints,
        deliveries: new InMemoryDeliveries(),
        leaveReservation: async (partnerId, endpointId) =>
          endpoints.reserveOnly(partnerId, endpointId),
      };
    },
  ],
  [
    'DynamoDB (dynalite)',
    () => {
      const dynalite = table;
      if (!dynalite) throw new Error('dynalite did not start');
      return {
        endpoints: new DynamoWebhookEndpoints(dynalite.documents, dynalite.tableName, { now }),
        deliveries: new DynamoDeliveries(dynalite.documents, dynalite.tableName),
        leaveReservation: async (partnerId, endpointId) => {
          await dynalite.documents.send(
            new UpdateCommand({
              TableName: dynalite.tableName,
              Key: keys.partner(partnerId),
              UpdateExpression: 'ADD endpointIds :ids',
              ExpressionAttributeValues: { ':ids': new Set([endpointId]) },
            }),
          );
        },
      };
    },
  ],
];

let sequence = 0;
/** Every case gets its own partners and endpoints: the dynalite table is shared. */
const unique = () => `${process.pid}-${++sequence}`;

/** A ULID-based id from a given time, so ids sort as the times do. */
const idAt = (prefix: 'whe' | 'evt', at: Date) => `${prefix}_${ulid(at.getTime())}`;
let idTime = NOW.getTime();
const nextId = (prefix: 'whe' | 'evt') => {
  idTime += 1000;
  return idAt(prefix, new Date(idTime));
};

const anEndpoint = (overrides: Partial<WebhookEndpoint> = {}): WebhookEndpoint => ({
  id: nextId('whe'),
  partnerId: `partner-${unique()}`,
  url: 'https://hooks.partner.example/smart-accounts',
  events: ['smart_account_request.activated', 'smart_account_request.expired'],
  description: 'CRM sync',
  createdAt: clock.toISOString(),
  secrets: [{ secret: 'whsec_AAAA', createdAt: clock.toISOString(), expiresAt: null }],
  ...overrides,
});

describe.each(backends)('the webhook stores on %s', (_name, open) => {
  let endpoints: WebhookEndpointStore;
  let deliveries: DeliveryStore;
  let backend: Backend;

  beforeEach(() => {
    clock = NOW;
    backend = open();
    ({ endpoints, deliveries } = backend);
  });

  describe('endpoints', () => {
    it('reads a stored endpoint back exactly as it was written, secrets included', async () => {
      const endpoint = anEndpoint();
      const everything = anEndpoint({
        partnerId: endpoint.partnerId,
        events: null,
        description: null,
      });

      expect(await endpoints.create(endpoint, 10)).toBe(true);
      expect(await endpoints.create(everything, 10)).toBe(true);

      expect(await endpoints.get(endpoint.partnerId, endpoint.id)).toEqual(endpoint);
      expect(await endpoints.list(endpoint.partnerId)).toEqual([endpoint, everything]);
    });

    it("never shows, deletes or rotates another partner's endpoint", async () => {
      const endpoint = anEndpoint();
      await endpoints.create(endpoint, 10);
      const other = `partner-${unique()}`;

      expect(await endpoints.get(other, endpoint.id)).toBeUndefined();
      expect(await endpoints.list(other)).toEqual([]);
      expect(await endpoints.delete(other, endpoint.id)).toBe(false);
      expect(
        await endpoints.rotate(other, endpoint.id, endpoint.secrets, 'whsec_AAAA'),
      ).toBeUndefined();
      expect(await endpoints.get(endpoint.partnerId, endpoint.id)).toEqual(endpoint);
    });

    it('stores no more than the limit per partner, and has room again after a delete', async () => {
      const partnerId = `partner-${unique()}`;
      const stored = [
        anEndpoint({ partnerId }),
        anEndpoint({ partnerId }),
        anEndpoint({ partnerId }),
      ];
      for (const endpoint of stored) expect(await endpoints.create(endpoint, 3)).toBe(true);

      const fourth = anEndpoint({ partnerId });
      expect(await endpoints.create(fourth, 3)).toBe(false);
      expect(await endpoints.get(partnerId, fourth.id)).toBeUndefined();
      // Another partner's endpoints do not count.
      expect(await endpoints.create(anEndpoint(), 3)).toBe(true);

      expect(await endpoints.delete(partnerId, stored[0]?.id ?? '')).toBe(true);
      expect(await endpoints.create(fourth, 3)).toBe(true);
      expect((await endpoints.list(partnerId)).map((endpoint) => endpoint.id)).toEqual([
        stored[1]?.id,
        stored[2]?.id,
        fourth.id,
      ]);
    });

    it('counts a retried create of the same endpoint once', async () => {
      const partnerId = `partner-${unique()}`;
      const endpoint = anEndpoint({ partnerId });

      expect(await endpoints.create(endpoint, 2)).toBe(true);
      expect(await endpoints.create(endpoint, 2)).toBe(true);

      expect(await endpoints.create(anEndpoint({ partnerId }), 2)).toBe(true);
      expect(await endpoints.create(anEndpoint({ partnerId }), 2)).toBe(false);
      expect(await endpoints.list(partnerId)).toHaveLength(2);
    });

    it('lets exactly the limit of concurrent creates win', async () => {
      const partnerId = `partner-${unique()}`;
      const candidates = Array.from({ length: 6 }, () => anEndpoint({ partnerId }));

      const results = await Promise.all(
        candidates.map((endpoint) => endpoints.create(endpoint, 4)),
      );

      expect(results.filter(Boolean)).toHaveLength(4);
      expect((await endpoints.list(partnerId)).map((endpoint) => endpoint.id).sort()).toEqual(
        candidates
          .filter((_, index) => results[index])
          .map((endpoint) => endpoint.id)
          .sort(),
      );
    });

    it('frees a slot a crashed create left once its grace period has passed, and not before', async () => {
      const partnerId = `partner-${unique()}`;
      await endpoints.create(anEndpoint({ partnerId }), 2);
      // Reserved at NOW, by the time in its id; its endpoint never got stored.
      await backend.leaveReservation(partnerId, idAt('whe', NOW));

      clock = secondsLater(RESERVATION_GRACE_SECONDS - 1);
      expect(await endpoints.create(anEndpoint({ partnerId }), 2)).toBe(false);

      clock = secondsLater(RESERVATION_GRACE_SECONDS + 1);
      const late = anEndpoint({ partnerId });
      expect(await endpoints.create(late, 2)).toBe(true);
      expect(await endpoints.get(partnerId, late.id)).toEqual(late);
      expect(await endpoints.create(anEndpoint({ partnerId }), 2)).toBe(false);
    });

    it('deletes an endpoint once', async () => {
      const endpoint = anEndpoint();
      await endpoints.create(endpoint, 10);

      expect(await endpoints.delete(endpoint.partnerId, endpoint.id)).toBe(true);
      expect(await endpoints.delete(endpoint.partnerId, endpoint.id)).toBe(false);
      expect(await endpoints.get(endpoint.partnerId, endpoint.id)).toBeUndefined();
      expect(await endpoints.list(endpoint.partnerId)).toEqual([]);
    });

    it('rotates only over the secret the rotation was computed from', async () => {
      const endpoint = anEndpoint();
      await endpoints.create(endpoint, 10);
      clock = secondsLater(60);
      const first = rotatedSecrets(endpoint, 'whsec_BBBB', clock);
      const concurrent = rotatedSecrets(endpoint, 'whsec_CCCC', clock);

      const rotated = await endpoints.rotate(endpoint.partnerId, endpoint.id, first, 'whsec_AAAA');
      const lost = await endpoints.rotate(
        endpoint.partnerId,
        endpoint.id,
        concurrent,
        'whsec_AAAA',
      );

      expect(rotated).toEqual({ ...endpoint, secrets: first });
      expect(lost).toBeUndefined();
      expect(await endpoints.get(endpoint.partnerId, endpoint.id)).toEqual(rotated);
    });
  });

  describe('deliveries', () => {
    let madeAt = NOW.getTime();
    /** Each a second after the one before: event ids sort by when they were made. */
    const nextMadeAt = () => {
      madeAt += 1000;
      return new Date(madeAt);
    };
    const aDelivery = (endpointId: string, at = nextMadeAt()) =>
      newDelivery(
        { id: endpointId, partnerId: 'partner-1' },
        {
          id: idAt('evt', at),
          type: 'smart_account_request.activated',
          createdAt: at.toISOString(),
        },
        JSON.stringify({ id: idAt('evt', at), hello: 'world' }),
      );

    it('reads a stored delivery back exactly, and keeps the first of two creates', async () => {
      const endpointId = nextId('whe');
      const delivery = aDelivery(endpointId);

      expect(await deliveries.create(delivery)).toBe(true);
      expect(await deliveries.create({ ...delivery, payload: '{"other":true}' })).toBe(false);

      expect(await deliveries.get(endpointId, delivery.eventId)).toEqual(delivery);
      expect(await deliveries.get(nextId('whe'), delivery.eventId)).toBeUndefined();
    });

    it('lists newest first in full pages, with a cursor exactly until the last page', async () => {
      const endpointId = nextId('whe');
      const made: Delivery[] = [];
      for (let i = 0; i < 5; i++) {
        const delivery = aDelivery(endpointId);
        made.push(delivery);
        await deliveries.create(delivery);
      }
      await deliveries.create(aDelivery(nextId('whe')));
      const newestFirst = made.map((delivery) => delivery.eventId).reverse();

      const pages: string[][] = [];
      const cursors: (string | null)[] = [];
      let cursor: string | undefined;
      do {
        const page = await deliveries.list(endpointId, { limit: 2, cursor });
        pages.push(page.items.map((delivery) => delivery.eventId));
        cursors.push(page.nextCursor);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);

      expect(pages).toEqual([
        newestFirst.slice(0, 2),
        newestFirst.slice(2, 4),
        newestFirst.slice(4),
      ]);
      expect(cursors.map((next) => next === null)).toEqual([false, false, true]);

      const exact = await deliveries.list(endpointId, { limit: 5 });
      expect(exact.items).toHaveLength(5);
      expect(exact.nextCursor).toBeNull();
      expect(await deliveries.list(nextId('whe'), { limit: 5 })).toEqual({
        items: [],
        nextCursor: null,
      });
    });

    it("refuses a cursor of another endpoint's deliveries, or none it made", async () => {
      const endpointId = nextId('whe');
      for (let i = 0; i < 3; i++) await deliveries.create(aDelivery(endpointId));
      const { nextCursor } = await deliveries.list(endpointId, { limit: 1 });
      expect(nextCursor).toEqual(expect.any(String));

      for (const cursor of [
        nextCursor ?? '',
        'not-a-cursor',
        Buffer.from('{}').toString('base64url'),
      ]) {
        await expect(deliveries.list(nextId('whe'), { limit: 1, cursor })).rejects.toThrow(
          ValidationFailed,
        );
      }
    });

    it('records each attempt once, in order', async () => {
      const delivery = aDelivery(nextId('whe'));
      await deliveries.create(delivery);
      const failedOnce = {
        attempts: 1,
        at: secondsLater(5).toISOString(),
        statusCode: 500,
        status: 'pending' as const,
        nextAttemptAt: secondsLater(305).toISOString(),
      };

      expect(
        await deliveries.recordAttempt(delivery.endpointId, delivery.eventId, failedOnce),
      ).toBe(true);
      expect(
        await deliveries.recordAttempt(delivery.endpointId, delivery.eventId, failedOnce),
      ).toBe(false);
      expect(
        await deliveries.recordAttempt(delivery.endpointId, delivery.eventId, {
          ...failedOnce,
          attempts: 3,
        }),
      ).toBe(false);
      const succeeded = {
        attempts: 2,
        at: secondsLater(305).toISOString(),
        statusCode: 204,
        status: 'succeeded' as const,
        nextAttemptAt: null,
      };
      expect(await deliveries.recordAttempt(delivery.endpointId, delivery.eventId, succeeded)).toBe(
        true,
      );

      expect(await deliveries.get(delivery.endpointId, delivery.eventId)).toEqual({
        ...delivery,
        attempts: 2,
        lastAttemptAt: succeeded.at,
        lastStatusCode: 204,
        status: 'succeeded',
        nextAttemptAt: null,
      });
    });

    it('reopens a delivery from attempt 0, so a run still retrying the old one writes nothing more', async () => {
      const delivery = aDelivery(nextId('whe'));
      await deliveries.create(delivery);
      const failed = {
        attempts: 1,
        at: secondsLater(5).toISOString(),
        statusCode: null,
        status: 'failed' as const,
        nextAttemptAt: null,
      };
      await deliveries.recordAttempt(delivery.endpointId, delivery.eventId, failed);
      const at = secondsLater(600).toISOString();

      const reopened = await deliveries.reopen(delivery.endpointId, delivery.eventId, at);
      const again = await deliveries.reopen(delivery.endpointId, delivery.eventId, at);

      expect(reopened).toEqual({
        ...delivery,
        status: 'pending',
        attempts: 0,
        lastAttemptAt: failed.at,
        lastStatusCode: null,
        nextAttemptAt: at,
        redeliveries: 1,
      });
      expect(again?.redeliveries).toBe(2);
      expect(
        await deliveries.recordAttempt(delivery.endpointId, delivery.eventId, {
          ...failed,
          attempts: 2,
        }),
      ).toBe(false);
      expect(
        await deliveries.recordAttempt(delivery.endpointId, delivery.eventId, {
          ...failed,
          attempts: 1,
        }),
      ).toBe(true);
      expect(await deliveries.reopen(nextId('whe'), delivery.eventId, at)).toBeUndefined();
    });
  });
});

describe('the DynamoDB delivery items', () => {
  it('expire 30 days after they were made, and 30 days after a redelivery', async () => {
    const dynalite = table;
    if (!dynalite) throw new Error('dynalite did not start');
    const store = new DynamoDeliveries(dynalite.documents, dynalite.tableName);
    const endpointId = nextId('whe');
    const eventId = idAt('evt', NOW);
    await store.create(
      newDelivery(
        { id: endpointId, partnerId: 'partner-1' },
        { id: eventId, type: 'webhook.test', createdAt: NOW.toISOString() },
        '{}',
      ),
    );
    const ttl = async () =>
      (
        await dynalite.documents.send(
          new GetCommand({
            TableName: dynalite.tableName,
            Key: keys.delivery(endpointId, eventId),
          }),
        )
      ).Item?.ttl;
    const days = (count: number) => count * 86_400;

    expect(await ttl()).toBe(NOW.getTime() / 1000 + days(30));
    await store.reopen(
      endpointId,
      eventId,
      new Date(NOW.getTime() + days(29) * 1000).toISOString(),
    );
    expect(await ttl()).toBe(NOW.getTime() / 1000 + days(59));
  });
});
