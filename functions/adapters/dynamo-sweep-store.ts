import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { SweepCandidate, SweepStore } from '../domain/sweep.ts';
import type { RequestStatus } from '../shared/status.ts';
import { type ConditionalUpdate, storeCall, updateItemIf } from './store-errors.ts';
import { keys, retentionShard, SWEEP_INDEX, SWEEP_SHARDS } from './table-keys.ts';

/**
 * The sweep's view of the table: the sparse sweep index holds exactly the unsettled requests
 * (a request enters it when created and leaves it when Settle has sent its outcome), spread
 * over a few shards so that a burst of creates does not write one hot index partition. Each
 * pass queries every shard for `sweepAt <= now`: its cost follows the unsettled requests,
 * never the settled ones.
 */
export class DynamoSweepStore implements SweepStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async dueForSweep(
    now: Date,
    options: { limit: number; everything?: boolean },
  ): Promise<readonly SweepCandidate[]> {
    const found: SweepCandidate[] = [];
    // Unsettled requests first (all of them at the start), then settled ones whose retention
    // ended (only those: they wait in shards of their own, retentionShardOf).
    const partitions = [
      ...Array.from({ length: SWEEP_SHARDS }, (_, shard) => ({
        partition: keys.sweepShard(shard),
        dueOnly: !options.everything,
      })),
      ...Array.from({ length: SWEEP_SHARDS }, (_, shard) => ({
        partition: retentionShard(shard),
        dueOnly: true,
      })),
    ];
    for (const { partition, dueOnly } of partitions) {
      if (found.length >= options.limit) break;
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await storeCall(() =>
          this.client.send(
            new QueryCommand({
              TableName: this.tableName,
              IndexName: SWEEP_INDEX.indexName,
              KeyConditionExpression: dueOnly
                ? '#shard = :shard AND #sweepAt <= :now'
                : '#shard = :shard',
              ExpressionAttributeNames: {
                '#shard': SWEEP_INDEX.partitionKey,
                ...(dueOnly ? { '#sweepAt': SWEEP_INDEX.sortKey } : {}),
              },
              ExpressionAttributeValues: {
                ':shard': partition,
                ...(dueOnly ? { ':now': now.toISOString() } : {}),
              },
              Limit: options.limit - found.length,
              ExclusiveStartKey: startKey,
            }),
          ),
        );
        for (const item of page.Items ?? []) found.push(toCandidate(item));
        startKey = page.LastEvaluatedKey;
      } while (startKey && found.length < options.limit);
    }
    return found;
  }

  beginAttempt(requestId: string, attempt: number): Promise<boolean> {
    return this.updateIf(requestId, {
      // Only from the attempt the sweep saw: two sweeps that both found it gone start one.
      ConditionExpression: 'executionAttempt = :previous',
      UpdateExpression: 'SET executionAttempt = :attempt',
      ExpressionAttributeValues: { ':previous': attempt - 1, ':attempt': attempt },
    });
  }

  async rescheduleSweep(requestId: string, nextSweepAt: string, repaired: boolean): Promise<void> {
    await this.updateIf(requestId, {
      // Never puts a request back into the index: Settle may have taken it out meanwhile.
      ConditionExpression: 'attribute_exists(#shard)',
      UpdateExpression: repaired
        ? 'SET #sweepAt = :at ADD sweepRepairs :one'
        : 'SET #sweepAt = :at',
      ExpressionAttributeNames: {
        '#shard': SWEEP_INDEX.partitionKey,
        '#sweepAt': SWEEP_INDEX.sortKey,
      },
      ExpressionAttributeValues: { ':at': nextSweepAt, ...(repaired ? { ':one': 1 } : {}) },
    });
  }

  /** A conditional update of a request item: false when its condition failed. */
  private async updateIf(requestId: string, update: ConditionalUpdate): Promise<boolean> {
    return (
      (await updateItemIf(this.client, this.tableName, keys.request(requestId), update)) !==
      undefined
    );
  }
}

const toCandidate = (item: Record<string, unknown>): SweepCandidate => ({
  id: item.id as string,
  status: item.status as RequestStatus,
  notifiedStatus: item.notifiedStatus as RequestStatus | undefined,
  taskToken: item.taskToken as string | undefined,
  executionAttempt: Number(item.executionAttempt ?? 1),
  wakeAt: (item.wakeAt as string | undefined) ?? null,
  sweepRepairs: Number(item.sweepRepairs ?? 0),
  pendingEvents: Array.isArray(item.pendingEvents) ? item.pendingEvents.length : 0,
  sweepAt: item.sweepAt as string | undefined,
});
