import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { deliveryExpiry } from '../domain/webhook-endpoints.ts';
import {
  type Delivery,
  type DeliveryAttempt,
  type DeliveryPage,
  DeliveryStatus,
  type DeliveryStore,
  type OverdueDelivery,
} from '../domain/webhook-ports.ts';
import { ValidationFailed } from '../shared/errors.ts';
import { isConditionFailed, storeCall, updateItemIf } from './store-errors.ts';
import {
  keys,
  PENDING_DELIVERIES_INDEX,
  PENDING_DELIVERY_SHARDS,
  pendingShardOf,
  TTL_ATTRIBUTE,
} from './table-keys.ts';

const DELIVERY_PREFIX = 'DELIVERY#';
/** What a delivery's sort key holds after its prefix: an event id (`evt_` and a ULID). */
const EVENT_ID = /^evt_[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * Delivery items (`ENDPOINT#<endpointId>` / `DELIVERY#<eventId>`): one partition per endpoint,
 * newest first because event ids are ULIDs. Each expires (TTL) DELIVERY_RETENTION_DAYS after it
 * was made or last redelivered. Whose endpoint it is, is the caller's check (the endpoint is
 * read under the partner's key first); the cursor is checked against the endpoint's partition.
 */
export class DynamoDeliveries implements DeliveryStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(delivery: Delivery): Promise<boolean> {
    try {
      await storeCall(() =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...keys.delivery(delivery.endpointId, delivery.eventId),
              entity: 'DELIVERY',
              ...delivery,
              ...pendingKeys(delivery.eventId, delivery.nextAttemptAt),
              [TTL_ATTRIBUTE]: deliveryExpiry(delivery.createdAt),
            },
            // One delivery per event and endpoint: a second fan-out of the same event is a no-op.
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  async get(endpointId: string, eventId: string): Promise<Delivery | undefined> {
    const result = await storeCall(() =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.delivery(endpointId, eventId),
          ConsistentRead: true,
        }),
      ),
    );
    return result.Item ? toDelivery(result.Item) : undefined;
  }

  async list(
    endpointId: string,
    options: { limit: number; cursor?: string },
  ): Promise<DeliveryPage> {
    const partition = keys.delivery(endpointId, '').PK;
    const page = await storeCall(() =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': partition, ':prefix': DELIVERY_PREFIX },
          ScanIndexForward: false,
          // One more than the page: the cursor is null exactly on the last page.
          Limit: options.limit + 1,
          ExclusiveStartKey: options.cursor ? decodeCursor(options.cursor, partition) : undefined,
        }),
      ),
    );
    const items = (page.Items ?? []).slice(0, options.limit);
    const more = (page.Items?.length ?? 0) > options.limit;
    const last = items.at(-1);
    return {
      items: items.map(toDelivery),
      nextCursor: more && last ? encodeCursor(last.PK as string, last.SK as string) : null,
    };
  }

  async recordAttempt(
    endpointId: string,
    eventId: string,
    attempt: DeliveryAttempt,
  ): Promise<boolean> {
    const updated = await updateItemIf(
      this.client,
      this.tableName,
      keys.delivery(endpointId, eventId),
      {
        // The attempt count is the delivery's clock: a retried or superseded attempt (a
        // redelivery reset the count) finds another count there and writes nothing.
        ConditionExpression: 'attempts = :previous',
        // Pending: in the sparse index at its next attempt; delivered or failed: out of it.
        UpdateExpression:
          'SET attempts = :attempts, lastAttemptAt = :at, lastStatusCode = :statusCode, ' +
          `#status = :status, nextAttemptAt = :next${
            attempt.status === DeliveryStatus.PENDING
              ? ', #pendingAt = :next'
              : ' REMOVE #pendingShard, #pendingAt'
          }`,
        // Only the names the expression uses: DynamoDB refuses unused ones.
        ExpressionAttributeNames: {
          '#status': 'status',
          '#pendingAt': PENDING_DELIVERIES_INDEX.sortKey,
          ...(attempt.status === DeliveryStatus.PENDING
            ? {}
            : { '#pendingShard': PENDING_DELIVERIES_INDEX.partitionKey }),
        },
        ExpressionAttributeValues: {
          ':previous': attempt.attempts - 1,
          ':attempts': attempt.attempts,
          ':at': attempt.at,
          ':statusCode': attempt.statusCode,
          ':status': attempt.status,
          ':next': attempt.nextAttemptAt,
        },
      },
    );
    return updated !== undefined;
  }

  async overdue(dueBefore: Date | undefined, limit: number): Promise<readonly OverdueDelivery[]> {
    const shards = Array.from({ length: PENDING_DELIVERY_SHARDS }, (_, shard) => shard);
    const pages = await Promise.all(
      shards.map((shard) =>
        storeCall(() =>
          this.client.send(
            new QueryCommand({
              TableName: this.tableName,
              IndexName: PENDING_DELIVERIES_INDEX.indexName,
              KeyConditionExpression: dueBefore
                ? '#shard = :shard AND #at <= :before'
                : '#shard = :shard',
              ExpressionAttributeNames: {
                '#shard': PENDING_DELIVERIES_INDEX.partitionKey,
                ...(dueBefore ? { '#at': PENDING_DELIVERIES_INDEX.sortKey } : {}),
              },
              ExpressionAttributeValues: {
                ':shard': `DELIVERIES#${shard}`,
                ...(dueBefore ? { ':before': dueBefore.toISOString() } : {}),
              },
              Limit: limit,
            }),
          ),
        ),
      ),
    );
    return pages.flatMap((page) =>
      (page.Items ?? []).map((item) => ({
        endpointId: item.endpointId as string,
        eventId: item.eventId as string,
        attempts: Number(item.attempts ?? 0),
        redeliveries: Number(item.redeliveries ?? 0),
      })),
    );
  }

  async reopen(endpointId: string, eventId: string, at: string): Promise<Delivery | undefined> {
    const updated = await updateItemIf(
      this.client,
      this.tableName,
      keys.delivery(endpointId, eventId),
      {
        ConditionExpression: 'attribute_exists(PK)',
        // Kept for the retention period from now, so a redelivery outlives its retries.
        UpdateExpression:
          'SET #status = :pending, attempts = :zero, nextAttemptAt = :at, #ttl = :ttl, ' +
          '#pendingShard = :shard, #pendingAt = :at ADD redeliveries :one',
        ExpressionAttributeNames: { '#status': 'status', '#ttl': TTL_ATTRIBUTE, ...PENDING_NAMES },
        ExpressionAttributeValues: {
          ':shard': pendingShardOf(eventId),
          ':pending': DeliveryStatus.PENDING,
          ':zero': 0,
          ':at': at,
          ':ttl': deliveryExpiry(at),
          ':one': 1,
        },
      },
    );
    return updated ? toDelivery(updated) : undefined;
  }
}

const PENDING_NAMES = {
  '#pendingShard': PENDING_DELIVERIES_INDEX.partitionKey,
  '#pendingAt': PENDING_DELIVERIES_INDEX.sortKey,
} as const;

/** A new delivery is pending, so it enters the sparse index at its first attempt. */
const pendingKeys = (eventId: string, at: string | null) =>
  at
    ? {
        [PENDING_DELIVERIES_INDEX.partitionKey]: pendingShardOf(eventId),
        [PENDING_DELIVERIES_INDEX.sortKey]: at,
      }
    : {};

const toDelivery = (item: Record<string, unknown>): Delivery => ({
  endpointId: item.endpointId as string,
  partnerId: item.partnerId as string,
  eventId: item.eventId as string,
  type: item.type as string,
  payload: item.payload as string,
  status: item.status as Delivery['status'],
  attempts: item.attempts as number,
  lastAttemptAt: (item.lastAttemptAt as string | null | undefined) ?? null,
  lastStatusCode: (item.lastStatusCode as number | null | undefined) ?? null,
  nextAttemptAt: (item.nextAttemptAt as string | null | undefined) ?? null,
  redeliveries: (item.redeliveries as number | undefined) ?? 0,
  createdAt: item.createdAt as string,
});

const encodeCursor = (PK: string, SK: string): string =>
  Buffer.from(JSON.stringify({ PK, SK })).toString('base64url');

const invalidCursor = (cause?: unknown) =>
  new ValidationFailed(
    [{ path: 'cursor', message: 'Not a cursor this list returned.' }],
    undefined,
    { cause },
  );

/**
 * The cursor is opaque to partners but not trusted: it must point into this endpoint's own
 * partition, or one partner could page through another's deliveries, and its sort key must be
 * a delivery's, or DynamoDB would refuse it (a 500 instead of a 400).
 */
const decodeCursor = (cursor: string, partition: string): { PK: string; SK: string } => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw invalidCursor(error);
  }
  const key = parsed as { PK?: unknown; SK?: unknown } | null;
  if (
    !key ||
    typeof key !== 'object' ||
    key.PK !== partition ||
    typeof key.SK !== 'string' ||
    !key.SK.startsWith(DELIVERY_PREFIX) ||
    !EVENT_ID.test(key.SK.slice(DELIVERY_PREFIX.length))
  ) {
    throw invalidCursor();
  }
  return { PK: key.PK, SK: key.SK };
};
