import { randomUUID } from 'node:crypto';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { IdempotencyRecord, IdempotencyStore, StoredResponse } from '../domain/ports.ts';
import { isConditionFailed, storeCall } from './store-errors.ts';
import { keys, TTL_ATTRIBUTE } from './table-keys.ts';

const RECORD_TTL_SECONDS = 24 * 60 * 60;
/** An IN_PROGRESS claim older than this belongs to a crashed invocation and may be retaken. */
const STALE_CLAIM_SECONDS = 60;

/**
 * Idempotency-Key records, modelled on Powertools' persistence layer: claim with a
 * conditional put, complete with the response, release on failure so a retry can run.
 * DynamoDB's TTL deletes records after a day; expiry is also checked on read because TTL
 * deletion lags (and dynalite never deletes).
 */
export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async claim(
    scope: string,
    key: string,
    bodyHash: string,
  ): Promise<IdempotencyRecord | undefined> {
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    // Tells this claim from another: if the put lands but its reply is lost, the SDK's retry
    // fails the condition and the read below finds our own claim, not someone else's.
    const claimId = randomUUID();
    try {
      await storeCall(() =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...keys.idempotency(scope, key),
              entity: 'IDEMPOTENCY',
              bodyHash,
              state: 'IN_PROGRESS',
              claimId,
              claimedAt: nowSeconds,
              [TTL_ATTRIBUTE]: nowSeconds + RECORD_TTL_SECONDS,
            },
            ConditionExpression:
              'attribute_not_exists(PK) OR #ttl < :now OR (#state = :inProgress AND claimedAt < :stale)',
            ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE, '#state': 'state' },
            ExpressionAttributeValues: {
              ':now': nowSeconds,
              ':inProgress': 'IN_PROGRESS',
              ':stale': nowSeconds - STALE_CLAIM_SECONDS,
            },
          }),
        ),
      );
      return undefined;
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
    const existing = await storeCall(() =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.idempotency(scope, key),
          ConsistentRead: true,
        }),
      ),
    );
    if (!existing.Item) return this.claim(scope, key, bodyHash);
    if (existing.Item.claimId === claimId) return undefined;
    return {
      bodyHash: existing.Item.bodyHash as string,
      state: existing.Item.state as IdempotencyRecord['state'],
      response: existing.Item.response as StoredResponse | undefined,
    };
  }

  async complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    await storeCall(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.idempotency(scope, key),
          UpdateExpression: 'SET #state = :completed, #response = :response',
          ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
          ExpressionAttributeValues: { ':completed': 'COMPLETED', ':response': response },
        }),
      ),
    );
  }

  async release(scope: string, key: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.idempotency(scope, key),
          ConditionExpression: '#state = :inProgress',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':inProgress': 'IN_PROGRESS' },
        }),
      );
    } catch {
      // Already completed, or the store is down: a claim we cannot release goes stale after
      // STALE_CLAIM_SECONDS and is retaken then.
    }
  }
}
