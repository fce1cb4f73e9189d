import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
  QueryCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { CloseOutcome, ListPage, RequestStore } from '../domain/ports.ts';
import type { SmartAccountRequest } from '../domain/smart-account-request.ts';
import { DomainTaken, ValidationFailed } from '../shared/errors.ts';
import { isLiveStatus, RequestStatus } from '../shared/status.ts';
import { isConditionFailed, storeCall } from './store-errors.ts';
import { keys, PARTNER_REQUESTS_INDEX } from './table-keys.ts';

export interface DynamoRequestStoreOptions {
  /** A pending request without a task token older than this never got an execution. */
  readonly abandonedAfterSeconds: number;
  /**
   * A lock whose request item is missing this long was left by a crash between the two
   * writes. It must exceed the create Lambda's timeout: a create can then no longer write its
   * request after another create took its lock over, so a domain never gets two live requests.
   */
  readonly orphanLockAfterSeconds?: number;
  readonly now?: () => Date;
}

interface DomainLock {
  readonly requestId: string;
  readonly lockedAt: string;
}

type CursorKey = { PK: string; SK: string; GSI1PK: string; GSI1SK: string };

/**
 * A cursor's key values are ids and timestamps. DynamoDB refuses empty, oversized or odd key
 * values with a ValidationException, so a tampered cursor must be a 400 before it gets there.
 */
const CURSOR_KEY_PART = /^[\x21-\x7e]{1,200}$/;

const INTERNAL_ATTRIBUTES = ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'entity'] as const;

const toRequest = (item: Record<string, unknown>): SmartAccountRequest => {
  const copy: Record<string, unknown> = { ...item };
  for (const attribute of INTERNAL_ATTRIBUTES) delete copy[attribute];
  return copy as unknown as SmartAccountRequest;
};

/**
 * Requests, domain locks and activation codes in the one table. Runs on DynamoDB and on
 * dynalite: no transactions, and no reliance on ReturnValuesOnConditionCheckFailure — a
 * failed condition is followed by a consistent read to learn who won.
 */
export class DynamoRequestStore implements RequestStore {
  private readonly now: () => Date;
  private readonly orphanLockAfterMs: number;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: DynamoRequestStoreOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.orphanLockAfterMs = (options.orphanLockAfterSeconds ?? 60) * 1000;
  }

  async create(request: SmartAccountRequest): Promise<void> {
    await this.takeDomain(request.accountDomain, request.id);
    try {
      await storeCall(() =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...keys.request(request.id),
              entity: 'REQUEST',
              GSI1PK: keys.partnerRequestsIndex(request.partnerId),
              GSI1SK: `${request.createdAt}#${request.id}`,
              ...request,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        ),
      );
    } catch (error) {
      // The id is new, so only an earlier attempt of this very write can have created the
      // item: it landed, its reply was lost and the SDK retried. The request is stored.
      if (isConditionFailed(error)) return;
      await this.releaseDomain(request.accountDomain, request.id);
      throw error;
    }
  }

  async get(requestId: string): Promise<SmartAccountRequest | undefined> {
    const result = await storeCall(() =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.request(requestId),
          ConsistentRead: true,
        }),
      ),
    );
    return result.Item ? toRequest(result.Item) : undefined;
  }

  async findByCodeHash(codeHash: string): Promise<SmartAccountRequest | undefined> {
    const result = await storeCall(() =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.activationCode(codeHash),
          ConsistentRead: true,
        }),
      ),
    );
    const requestId = result.Item?.requestId as string | undefined;
    return requestId ? this.get(requestId) : undefined;
  }

  async listByPartner(
    partnerId: string,
    options: { limit: number; status?: RequestStatus; cursor?: string },
  ): Promise<ListPage> {
    const partitionKey = keys.partnerRequestsIndex(partnerId);
    let startKey = options.cursor ? this.decodeCursor(options.cursor, partitionKey) : undefined;
    const items: SmartAccountRequest[] = [];
    let cursorKey: CursorKey | undefined;
    // A status filter is applied after DynamoDB's Limit, so keep querying (bounded) until the
    // page is full. The cursor is the key of the last item returned (or the last key
    // evaluated), so pages never overlap or skip.
    for (let round = 0; round < 10; round++) {
      const remaining = options.limit - items.length;
      const page = await storeCall(() =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: PARTNER_REQUESTS_INDEX,
            KeyConditionExpression: 'GSI1PK = :pk',
            ExpressionAttributeValues: {
              ':pk': partitionKey,
              ...(options.status ? { ':status': options.status } : {}),
            },
            ...(options.status
              ? {
                  FilterExpression: '#status = :status',
                  ExpressionAttributeNames: { '#status': 'status' },
                }
              : {}),
            ScanIndexForward: false,
            Limit: options.status ? 100 : remaining + 1,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      const pageItems = page.Items ?? [];
      const taken = pageItems.slice(0, remaining);
      items.push(...taken.map(toRequest));
      const last = taken.at(-1);
      if (last) cursorKey = cursorOf(last);
      if (taken.length < pageItems.length) {
        return { items, nextCursor: encodeCursor(cursorKey) };
      }
      startKey = page.LastEvaluatedKey as CursorKey | undefined;
      if (!startKey) return { items, nextCursor: null };
      cursorKey = startKey;
      if (items.length === options.limit) break;
    }
    return { items, nextCursor: encodeCursor(cursorKey) };
  }

  async close(
    requestId: string,
    to: RequestStatus,
    options: { partnerId?: string; reason?: string; at?: Date } = {},
  ): Promise<CloseOutcome | undefined> {
    const at = (options.at ?? this.now()).toISOString();
    const timestamp = to === RequestStatus.ACTIVE ? 'activatedAt' : 'closedAt';
    const closed = await this.updateRequestIf(requestId, {
      // The one arbiter: only a pending request changes status, so of activation, decline,
      // cancel, expiry and failure exactly one write succeeds.
      ConditionExpression: `#status = :pending${options.partnerId ? ' AND partnerId = :partnerId' : ''}`,
      UpdateExpression:
        'SET #status = :to, #timestamp = :at, closeReason = :reason, history = list_append(history, :change)',
      ExpressionAttributeNames: { '#status': 'status', '#timestamp': timestamp },
      ExpressionAttributeValues: {
        ':pending': RequestStatus.PENDING_ACTIVATION,
        ':to': to,
        ':at': at,
        ':reason': options.reason ?? null,
        ':change': [{ status: to, at }],
        ...(options.partnerId ? { ':partnerId': options.partnerId } : {}),
      },
    });
    if (closed) return { won: true, request: closed };
    const current = await this.get(requestId);
    if (!current) return undefined;
    if (options.partnerId && current.partnerId !== options.partnerId) return undefined;
    return { won: false, request: current };
  }

  async attachActivation(
    requestId: string,
    activation: { taskToken: string; codeHash: string; codeNonce: string },
  ): Promise<SmartAccountRequest | undefined> {
    await storeCall(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.activationCode(activation.codeHash), entity: 'CODE', requestId },
        }),
      ),
    );
    return this.updateRequestIf(requestId, {
      // The nonce is fixed at the first send so retries and resends mail the same link.
      ConditionExpression:
        '#status = :pending AND (attribute_not_exists(codeNonce) OR codeNonce = :nonce)',
      UpdateExpression: 'SET taskToken = :token, codeHash = :hash, codeNonce = :nonce',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':pending': RequestStatus.PENDING_ACTIVATION,
        ':token': activation.taskToken,
        ':hash': activation.codeHash,
        ':nonce': activation.codeNonce,
      },
    });
  }

  async countResend(
    requestId: string,
    partnerId: string,
    maxResends: number,
  ): Promise<
    { ok: true; request: SmartAccountRequest } | { ok: false; request?: SmartAccountRequest }
  > {
    const counted = await this.updateRequestIf(requestId, {
      ConditionExpression:
        '#status = :pending AND partnerId = :partnerId AND resendCount < :max AND attribute_exists(codeNonce)',
      UpdateExpression: 'SET resendCount = resendCount + :one',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':pending': RequestStatus.PENDING_ACTIVATION,
        ':partnerId': partnerId,
        ':max': maxResends,
        ':one': 1,
      },
    });
    if (counted) return { ok: true, request: counted };
    const current = await this.get(requestId);
    return current && current.partnerId === partnerId
      ? { ok: false, request: current }
      : { ok: false };
  }

  async recordSentEmail(requestId: string, key: string): Promise<void> {
    await storeCall(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.request(requestId),
          UpdateExpression: 'ADD sentEmails :key',
          ExpressionAttributeValues: { ':key': new Set([key]) },
        }),
      ),
    );
  }

  async markNotified(requestId: string, status: RequestStatus): Promise<boolean> {
    const marked = await this.updateRequestIf(requestId, {
      ConditionExpression: 'attribute_not_exists(notifiedStatus) AND #status = :status',
      UpdateExpression: 'SET notifiedStatus = :status',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': status },
    });
    return marked !== undefined;
  }

  /**
   * A conditional update of one request item: the item as updated, or undefined when the
   * condition failed (the caller reads the winner when it needs to know it).
   */
  private async updateRequestIf(
    requestId: string,
    update: Pick<
      UpdateCommandInput,
      | 'ConditionExpression'
      | 'UpdateExpression'
      | 'ExpressionAttributeNames'
      | 'ExpressionAttributeValues'
    >,
  ): Promise<SmartAccountRequest | undefined> {
    try {
      const result = await storeCall(() =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.request(requestId),
            ReturnValues: 'ALL_NEW',
            ...update,
          }),
        ),
      );
      return toRequest(result.Attributes ?? {});
    } catch (error) {
      if (isConditionFailed(error)) return undefined;
      throw error;
    }
  }

  /**
   * Takes the domain's lock for `requestId`. The lock is never released by status changes:
   * it is live only while the request it names is live, so a crash can never leave a domain
   * blocked. Taking over a dead lock is a conditional write on the old holder, so of two
   * concurrent creates only one wins.
   */
  private async takeDomain(domain: string, requestId: string): Promise<void> {
    const lockedAt = this.now().toISOString();
    const putLock = (
      condition: Pick<PutCommandInput, 'ConditionExpression' | 'ExpressionAttributeValues'>,
    ) =>
      storeCall(() =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...keys.domainLock(domain), entity: 'DOMAIN_LOCK', requestId, lockedAt },
            ...condition,
          }),
        ),
      );
    try {
      await putLock({ ConditionExpression: 'attribute_not_exists(PK)' });
      return;
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
    const lock = await this.getLock(domain);
    if (!lock) throw new DomainTaken(domain);
    // Our own lock: the first put landed, its reply was lost and the SDK retried it.
    if (lock.requestId === requestId) return;
    if (await this.lockIsLive(lock)) throw new DomainTaken(domain);
    try {
      await putLock({
        ConditionExpression: 'requestId = :previous',
        ExpressionAttributeValues: { ':previous': lock.requestId },
      });
    } catch (error) {
      if (isConditionFailed(error)) throw new DomainTaken(domain);
      throw error;
    }
  }

  private async lockIsLive(lock: DomainLock): Promise<boolean> {
    const holder = await this.get(lock.requestId);
    const now = this.now().getTime();
    if (!holder) return now - Date.parse(lock.lockedAt) < this.orphanLockAfterMs;
    if (!isLiveStatus(holder.status)) return false;
    const abandoned =
      holder.status === RequestStatus.PENDING_ACTIVATION &&
      !holder.taskToken &&
      now - Date.parse(holder.createdAt) > this.options.abandonedAfterSeconds * 1000;
    if (!abandoned) return true;
    // The execution never started (the create crashed after its writes). Close the old request
    // first, conditionally: if its execution did start meanwhile and stored a token, it is live.
    const at = new Date(now).toISOString();
    const failed = await this.updateRequestIf(holder.id, {
      ConditionExpression: '#status = :pending AND attribute_not_exists(taskToken)',
      UpdateExpression:
        'SET #status = :failed, closedAt = :at, closeReason = :reason, history = list_append(history, :change)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':pending': RequestStatus.PENDING_ACTIVATION,
        ':failed': RequestStatus.FAILED,
        ':at': at,
        ':reason': 'ExecutionNotStarted',
        ':change': [{ status: RequestStatus.FAILED, at }],
      },
    });
    return failed === undefined;
  }

  private async getLock(domain: string): Promise<DomainLock | undefined> {
    const result = await storeCall(() =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.domainLock(domain),
          ConsistentRead: true,
        }),
      ),
    );
    return result.Item as DomainLock | undefined;
  }

  /** Best effort after a failed request write; if it fails too, the lock is an orphan that expires. */
  private async releaseDomain(domain: string, requestId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.domainLock(domain),
          ConditionExpression: 'requestId = :mine',
          ExpressionAttributeValues: { ':mine': requestId },
        }),
      );
    } catch {
      // Nothing to undo: the orphaned lock is taken over after orphanLockAfterSeconds.
    }
  }

  private decodeCursor(cursor: string, partitionKey: string): CursorKey {
    const invalid = () =>
      new ValidationFailed([{ path: 'cursor', message: 'Not a cursor this list returned.' }]);
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      throw invalid();
    }
    const key = parsed as Partial<CursorKey> | null;
    // The cursor is opaque to partners but not trusted: it must point into the caller's own
    // partition, or one partner could page through another's requests.
    if (
      !key ||
      typeof key !== 'object' ||
      key.GSI1PK !== partitionKey ||
      typeof key.PK !== 'string' ||
      !key.PK.startsWith('REQUEST#') ||
      !CURSOR_KEY_PART.test(key.PK.slice('REQUEST#'.length)) ||
      key.SK !== 'REQUEST' ||
      typeof key.GSI1SK !== 'string' ||
      !CURSOR_KEY_PART.test(key.GSI1SK)
    ) {
      throw invalid();
    }
    return { PK: key.PK, SK: key.SK, GSI1PK: key.GSI1PK, GSI1SK: key.GSI1SK };
  }
}

const cursorOf = (item: Record<string, unknown>): CursorKey => ({
  PK: item.PK as string,
  SK: item.SK as string,
  GSI1PK: item.GSI1PK as string,
  GSI1SK: item.GSI1SK as string,
});

const encodeCursor = (key: CursorKey | undefined): string | null =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;
