import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AttemptLimiter } from '../domain/attempt-limiter.ts';
import { sha256 } from '../shared/crypto.ts';
import { storeCall } from './store-errors.ts';
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

  async blockedFor(client: string): Promise<number> {
    const { key, windowEnd, nowSeconds } = this.window(client);
    const result = await storeCall(() =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: key })),
    );
    const misses = Number(result.Item?.misses ?? 0);
    return misses >= this.options.maxMisses ? windowEnd - nowSeconds : 0;
  }

  async recordMiss(client: string): Promise<void> {
    const { key, windowEnd } = this.window(client);
    await storeCall(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'ADD misses :one SET #ttl = :ttl',
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':one': 1, ':ttl': windowEnd + 60 },
        }),
      ),
    );
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
