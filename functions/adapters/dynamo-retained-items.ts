import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { RetainedItems } from '../domain/retention.ts';
import { Dependency, DependencyUnavailable } from '../shared/errors.ts';
import { isConditionFailed, storeCall } from './store-errors.ts';
import { keys, TTL_ATTRIBUTE } from './table-keys.ts';

/** In the request's own partition; not an EVENT# item, so deleting the timeline leaves it. */
const tombstoneKey = (requestId: string) => ({ PK: keys.request(requestId).PK, SK: 'FORGOTTEN' });
const TOMBSTONE_SECONDS = 7 * 86_400;

/** BatchWriteItem takes at most 25 requests. */
const BATCH = 25;
/** Rounds for unprocessed items (throttling) before the deletion is left to the next pass. */
const MAX_BATCH_ROUNDS = 8;

/**
 * Deletes what retention is done with (functions/domain/retention.ts); the domain lock is
 * DynamoDomainLocks' own business.
 */
export class DynamoRetainedItems implements RetainedItems {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async deleteTimeline(requestId: string): Promise<void> {
    const partition = keys.request(requestId).PK;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await storeCall(() =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'PK = :pk AND begins_with(SK, :event)',
            ExpressionAttributeValues: { ':pk': partition, ':event': 'EVENT#' },
            ProjectionExpression: 'PK, SK',
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      const found = (page.Items ?? []).map((item) => ({ PK: item.PK, SK: item.SK }));
      for (let from = 0; from < found.length; from += BATCH) {
        await this.deleteAll(found.slice(from, from + BATCH));
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  async deleteCode(codeHash: string, requestId: string): Promise<void> {
    await this.deleteIf(keys.activationCode(codeHash), 'requestId = :id', requestId);
  }

  async isForgotten(requestId: string): Promise<boolean> {
    const found = await storeCall(() =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: tombstoneKey(requestId),
          ConsistentRead: true,
        }),
      ),
    );
    return found.Item !== undefined;
  }

  async markForgotten(requestId: string): Promise<void> {
    await storeCall(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          // Outlives every redelivery of the stream record (a stream keeps records 24 hours).
          Item: {
            ...tombstoneKey(requestId),
            entity: 'FORGOTTEN',
            [TTL_ATTRIBUTE]: Math.ceil(Date.now() / 1000) + TOMBSTONE_SECONDS,
          },
        }),
      ),
    );
  }

  async deleteRequest(requestId: string): Promise<void> {
    // Unconditional: deleting an item that is gone already is a success, so a retry is too.
    await storeCall(() =>
      this.client.send(
        new DeleteCommand({ TableName: this.tableName, Key: keys.request(requestId) }),
      ),
    );
  }

  private async deleteIf(key: Record<string, string>, condition: string, requestId: string) {
    try {
      await storeCall(() =>
        this.client.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: key,
            ConditionExpression: condition,
            ExpressionAttributeValues: { ':id': requestId },
          }),
        ),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
  }

  private async deleteAll(itemKeys: Record<string, unknown>[]): Promise<void> {
    let pending = itemKeys.map((Key) => ({ DeleteRequest: { Key } }));
    for (let round = 0; pending.length > 0; round++) {
      if (round === MAX_BATCH_ROUNDS)
        throw new DependencyUnavailable('BatchWriteItem left deletions unprocessed', {
          dependency: Dependency.TABLE,
        });
      const requests = pending;
      const result = await storeCall(() =>
        this.client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } })),
      );
      pending = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof pending;
      if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** round));
    }
  }
}
