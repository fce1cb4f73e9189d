import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DomainLock } from '../domain/domain-lock.ts';
import type { DomainLocks } from '../domain/ports.ts';
import { isConditionFailed, storeCall } from './store-errors.ts';
import { keys } from './table-keys.ts';

/**
 * Domain lock items (`DOMAIN#<domain>` / `LOCK`). When a lock is live, abandoned or may be
 * taken over is decided in functions/domain/domain-lock.ts; this only makes the conditional
 * writes, and reports a condition that did not hold as `false`.
 */
export class DynamoDomainLocks implements DomainLocks {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  take(lock: DomainLock): Promise<boolean> {
    return this.putIf(lock, { ConditionExpression: 'attribute_not_exists(PK)' });
  }

  async get(domain: string): Promise<DomainLock | undefined> {
    const result = await storeCall(() =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.domainLock(domain),
          ConsistentRead: true,
        }),
      ),
    );
    if (!result.Item) return undefined;
    return {
      domain,
      requestId: result.Item.requestId as string,
      lockedAt: result.Item.lockedAt as string,
      ...(typeof result.Item.activatedAt === 'string'
        ? { activatedAt: result.Item.activatedAt }
        : {}),
    };
  }

  takeOver(lock: DomainLock, previousHolder: string): Promise<boolean> {
    // Conditional on the old holder: of two creates taking over the same lock, the second
    // finds the first one's id there and loses.
    return this.putIf(lock, {
      ConditionExpression: 'requestId = :previous',
      ExpressionAttributeValues: { ':previous': previousHolder },
    });
  }

  async release(lock: Pick<DomainLock, 'domain' | 'requestId'>): Promise<void> {
    try {
      await storeCall(() =>
        this.client.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: keys.domainLock(lock.domain),
            // Only our own lock: another create may have taken it over meanwhile.
            ConditionExpression: 'requestId = :mine',
            ExpressionAttributeValues: { ':mine': lock.requestId },
          }),
        ),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
  }

  async markAccount(domain: string, requestId: string, activatedAt: string): Promise<void> {
    try {
      await storeCall(() =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.domainLock(domain),
            // Only our own lock: a lock taken over meanwhile is another request's.
            ConditionExpression: 'requestId = :mine',
            UpdateExpression: 'SET activatedAt = if_not_exists(activatedAt, :at)',
            ExpressionAttributeValues: { ':mine': requestId, ':at': activatedAt },
          }),
        ),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
  }

  private async putIf(
    lock: DomainLock,
    condition: Pick<PutCommandInput, 'ConditionExpression' | 'ExpressionAttributeValues'>,
  ): Promise<boolean> {
    try {
      await storeCall(() =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...keys.domainLock(lock.domain),
              entity: 'DOMAIN_LOCK',
              requestId: lock.requestId,
              lockedAt: lock.lockedAt,
            },
            ...condition,
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }
}
