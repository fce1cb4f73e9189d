import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { DynamoDomainLocks } from '../functions/adapters/dynamo-domain-locks.ts';
import { DynamoRequestStore } from '../functions/adapters/dynamo-request-store.ts';
import { DynamoStatusCounts } from '../functions/adapters/dynamo-status-counts.ts';
import { filterKeyAttributes, toRequest } from '../functions/adapters/request-items.ts';
import { updateItemIf } from '../functions/adapters/store-errors.ts';
import {
  keys,
  retentionShardOf,
  SWEEP_INDEX,
  TTL_ATTRIBUTE,
} from '../functions/adapters/table-keys.ts';
import {
  closedAtOf,
  DEFAULT_RETENTION_DAYS,
  retainUntilOf,
} from '../functions/domain/retention.ts';
import type { RetentionSettings } from '../functions/domain/settlement.ts';
import type { SmartAccountRequest } from '../functions/domain/smart-account-request.ts';
import { countRequest } from '../functions/domain/status-counts.ts';
import { isSettled } from '../functions/domain/sweep.ts';
import { RequestStatus } from '../functions/shared/status.ts';

/**
 * Brings request items stored before the list's filter indexes, the counters and retention
 * (issue 14) up to date: the four filter keys, the request in its status's counter, the date
 * a settled request is deleted, and an activated account's lock marked. An operator's tool,
 * so it may Scan (no function does): `npm start` runs it once on a kept table, and on AWS it is
 * run once after deploying (docs/operations.md). A marker item records that it ran.
 *
 * The counters' steps must not race the request's execution counting it too
 * (functions/domain/status-counts.ts): locally no execution runs yet when it does; on AWS an
 * old request is counted by its execution only when it next wakes or settles, so a run right
 * after the deploy meets almost none of them at that moment.
 */
const MIGRATION = { PK: 'MIGRATION#filters-counts-retention', SK: 'MIGRATION' } as const;

/** What Settle writes today: when the request is deleted (and, locally, the sweep finds it then). */
const dateDeletion = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  request: SmartAccountRequest,
  retention: RetentionSettings,
) => {
  const retainUntil = retainUntilOf(closedAtOf(request) ?? request.createdAt, retention.days);
  await updateItemIf(client, tableName, keys.request(request.id), {
    ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(retainUntil)',
    UpdateExpression: `SET retainUntil = :retainUntil, #ttl = :ttl${
      retention.bySweep ? ', sweepAt = :retainUntil, #sweepShard = :shard' : ''
    }`,
    ExpressionAttributeNames: {
      '#ttl': TTL_ATTRIBUTE,
      ...(retention.bySweep ? { '#sweepShard': SWEEP_INDEX.partitionKey } : {}),
    },
    ExpressionAttributeValues: {
      ':retainUntil': retainUntil,
      ':ttl': Math.ceil(Date.parse(retainUntil) / 1000),
      ...(retention.bySweep ? { ':shard': retentionShardOf(request.id) } : {}),
    },
  });
};

export interface MigrationReport {
  readonly looked: number;
  readonly updated: number;
  readonly skipped: boolean;
}

export const migrateRequests = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  options: { force?: boolean; retention?: RetentionSettings } = {},
): Promise<MigrationReport> => {
  const retention = options.retention ?? { days: DEFAULT_RETENTION_DAYS, bySweep: false };
  if (!options.force) {
    const done = await client.send(new GetCommand({ TableName: tableName, Key: MIGRATION }));
    if (done.Item) return { looked: 0, updated: 0, skipped: true };
  }
  const counts = new DynamoStatusCounts(client, tableName);
  const requests = new DynamoRequestStore(client, tableName);
  const locks = new DynamoDomainLocks(client, tableName);
  let looked = 0;
  let updated = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        // Request items that lack a filter key, were never counted, or were settled before
        // retention dated their deletion.
        FilterExpression:
          'entity = :request AND SK = :request AND (attribute_not_exists(statusKey) OR attribute_not_exists(expiryKey) OR attribute_not_exists(countedStatus) OR (attribute_exists(notifiedStatus) AND attribute_not_exists(retainUntil)))',
        ExpressionAttributeValues: { ':request': 'REQUEST' },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      looked += 1;
      // The page may be minutes old: decide from the item as it is now.
      const request = await requests.get(toRequest(item).id);
      if (!request) continue;
      const filterKeys = Object.entries(filterKeyAttributes(request));
      // if_not_exists: a close, PATCH or extension since the read wrote its own key.
      await updateItemIf(client, tableName, keys.request(request.id), {
        ConditionExpression: 'attribute_exists(PK)',
        UpdateExpression: `SET ${filterKeys.map((_, i) => `#k${i} = if_not_exists(#k${i}, :k${i})`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(
          filterKeys.map(([name], i) => [`#k${i}`, name]),
        ),
        ExpressionAttributeValues: Object.fromEntries(
          filterKeys.map(([, value], i) => [`:k${i}`, value]),
        ),
      });
      await countRequest(counts, request);
      if (isSettled(request) && !request.retainUntil) {
        await dateDeletion(client, tableName, request, retention);
        if (request.status === RequestStatus.ACTIVE) {
          const activatedAt = request.activatedAt ?? closedAtOf(request) ?? request.createdAt;
          await locks.markAccount(request.accountDomain, request.id, activatedAt);
        }
      }
      updated += 1;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  await client.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...MIGRATION, entity: 'MIGRATION', at: new Date().toISOString(), updated },
    }),
  );
  return { looked, updated, skipped: false };
};
