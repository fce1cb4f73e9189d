import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { DynamoStatusCounts } from '../functions/adapters/dynamo-status-counts.ts';
import { filterKeyAttributes, toRequest } from '../functions/adapters/request-items.ts';
import { updateItemIf } from '../functions/adapters/store-errors.ts';
import { keys } from '../functions/adapters/table-keys.ts';
import { countRequest } from '../functions/domain/status-counts.ts';

/**
 * Brings request items stored before the list's filter indexes and the counters (issue 14) up
 * to date: the four filter keys, and the request in its status's counter. An operator's tool,
 * so it may Scan (no function does): `npm start` runs it once on a kept table, and on AWS it is
 * run once after deploying (docs/operations.md). A marker item records that it ran.
 *
 * The counters' steps must not race the request's execution counting it too
 * (functions/domain/status-counts.ts): locally no execution runs yet when it does; on AWS an
 * old request is counted by its execution only when it next wakes or settles, so a run right
 * after the deploy meets almost none of them at that moment.
 */
const MIGRATION = { PK: 'MIGRATION#filters-and-counts', SK: 'MIGRATION' } as const;

export interface MigrationReport {
  readonly looked: number;
  readonly updated: number;
  readonly skipped: boolean;
}

export const migrateRequests = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  options: { force?: boolean } = {},
): Promise<MigrationReport> => {
  if (!options.force) {
    const done = await client.send(new GetCommand({ TableName: tableName, Key: MIGRATION }));
    if (done.Item) return { looked: 0, updated: 0, skipped: true };
  }
  const counts = new DynamoStatusCounts(client, tableName);
  let looked = 0;
  let updated = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        // Request items that lack a filter key or were never counted.
        FilterExpression:
          'entity = :request AND SK = :request AND (attribute_not_exists(statusKey) OR attribute_not_exists(expiryKey) OR attribute_not_exists(countedStatus))',
        ExpressionAttributeValues: { ':request': 'REQUEST' },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      looked += 1;
      const request = toRequest(item);
      const filterKeys = Object.entries(filterKeyAttributes(request));
      // if_not_exists: a close, PATCH or extension since the scan read it wrote its own key.
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
