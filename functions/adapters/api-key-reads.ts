import { BatchGetCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keyHashOf, METADATA_PREFIX } from './api-key-items.ts';
import { storeCall } from './store-errors.ts';
import { keys } from './table-keys.ts';

/** The reads of a partner's key list (functions/adapters/dynamo-api-keys.ts, list). */

type Item = Record<string, unknown>;

/** The partner's key metadata items: one Query of its partition (paged, though a few items). */
export const queryKeyMetadata = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  partnerId: string,
): Promise<Item[]> => {
  const found: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page = await storeCall(() =>
      client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: {
            ':pk': keys.partner(partnerId).PK,
            ':prefix': METADATA_PREFIX,
          },
          // A key just made or revoked shows so in the next list.
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    found.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return found;
};

/** How often keys BatchGetItem left unprocessed (throttling) are asked for again. */
const BATCH_ROUNDS = 5;

/**
 * The lookup items of these key hashes, by hash, projected to what the list shows (lastUsedAt).
 * A handful per partner (at most MAX_API_KEYS, plus legacy keys adopted over it), far below
 * BatchGetItem's 100.
 */
export const getLookups = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  keyHashes: readonly string[],
): Promise<Map<string, Item>> => {
  const found = new Map<string, Item>();
  let pending: Item[] = keyHashes.map((hash) => keys.apiKey(hash));
  for (let round = 0; pending.length > 0 && round < BATCH_ROUNDS; round++) {
    const result = await storeCall(() =>
      client.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: pending,
              ConsistentRead: true,
              ProjectionExpression: 'PK, lastUsedAt',
            },
          },
        }),
      ),
    );
    for (const item of result.Responses?.[tableName] ?? []) found.set(keyHashOf(item), item);
    pending = (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Item[];
  }
  return found;
};
