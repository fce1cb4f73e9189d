import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AttemptLimiter } from '../domain/attempt-limiter.ts';
import { sha256 } from '../shared/crypto.ts';
import { isConditionFailed, storeCall } from './store-errors.ts';
import { TTL_ATTRIBUTE } from './table-keys.ts';

export interface AttemptLimiterOptions {
  readonly maxMisses: number;
  readonly windowSeconds: number;
  readonly now?: () => Date;
}

/**
 * Fixed-window miss counters in the table (one item per client and window, removed by TTL).
 * With 256-bit codes guessing cannot succeed anyway; the limit keeps scanners from turning
 * the pages into free load, and the client address is stored hashed.
 */
export class DynamoAttemptLimiter implements AttemptLimiter {
  private readonly now: () => Date;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: AttemptLimiterOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async reserve(client: string): Promise<number> {
    const { key, windowEnd, nowSeconds } = this.window(client);
    try {
      await storeCall(() =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            // Check and count in one write: of parallel lookups only `maxMisses` get through.
            ConditionExpression: 'attribute_not_exists(misses) OR misses < :max',
            UpdateExpression: 'ADD misses :one SET #ttl = :ttl',
            ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
            ExpressionAttributeValues: {
              ':one': 1,
              ':max': this.options.maxMisses,
              ':ttl': windowEnd + 60,
            },
          }),
        ),
      );
      return 0;
    } catch (error) {
      if (isConditionFailed(error)) return windowEnd - nowSeconds;
      throw error;
    }
  }

  async release(client: string): Promise<void> {
    const { key } = this.window(client);
    await storeCall(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          // Only a counter this window still has: a release never creates an item.
          ConditionExpression: 'misses > :zero',
          UpdateExpression: 'ADD misses :minusOne',
          ExpressionAttributeValues: { ':zero': 0, ':minusOne': -1 },
        }),
      ),
    ).catch((error: unknown) => {
      if (!isConditionFailed(error)) throw error;
    });
  }

  private window(client: string) {
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    const windowStart = nowSeconds - (nowSeconds % this.options.windowSeconds);
    return {
      key: { PK: `ATTEMPTS#${sha256(client)}#${windowStart}`, SK: 'ATTEMPTS' },
      windowEnd: windowStart + this.options.windowSeconds,
      nowSeconds,
    };
  }
}
