import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { EventType } from '../domain/events.ts';
import { type CloseGuard, closingOf, isOwnedBy } from '../domain/lifecycle.ts';
import type {
  ActivationWait,
  CloseOutcome,
  ListPage,
  RequestCorrection,
  RequestStore,
  RetentionPlan,
} from '../domain/ports.ts';
import type { SmartAccountRequest } from '../domain/smart-account-request.ts';
import { RequestStatus } from '../shared/status.ts';
import { RequestCorrections } from './request-corrections.ts';
import {
  APPEND_EVENT,
  appendEventValues,
  changeEventValues,
  requestItem,
  STATUS_NAME,
  settledUpdate,
  toRequest,
} from './request-items.ts';
import { type ListOptions, queryPartnerRequests } from './request-list-query.ts';
import { isConditionFailed, storeCall } from './store-errors.ts';
import { FILTER_ATTRIBUTES, filterKeys, keys } from './table-keys.ts';

export interface DynamoRequestStoreOptions {
  readonly now?: () => Date;
}

/**
 * Request items and activation-code items in the one table. The rules are the domain's
 * (functions/domain/lifecycle.ts): each method states one rule as a ConditionExpression.
 * Runs on DynamoDB and on dynalite: no transactions, and no reliance on
 * ReturnValuesOnConditionCheckFailure (dynalite ignores it), so a failed condition is followed
 * by a consistent read to learn who won.
 */
export class DynamoRequestStore implements RequestStore {
  private readonly now: () => Date;
  private readonly changes: RequestCorrections;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoRequestStoreOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.changes = new RequestCorrections(client, tableName);
  }

  async insert(request: SmartAccountRequest): Promise<void> {
    try {
      await storeCall(() =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: requestItem(request),
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        ),
      );
    } catch (error) {
      // The id is new, so only an earlier attempt of this very write can have created the
      // item: it landed, its reply was lost and the SDK retried. The request is stored.
      if (!isConditionFailed(error)) throw error;
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
    const request = requestId ? await this.get(requestId) : undefined;
    // A code item outlives its link when a PATCH gave the request a new one (the old item's
    // delete is a second write, which a crash can skip): only the request's own hash counts.
    return request?.codeHash === codeHash ? request : undefined;
  }

  listByPartner(partnerId: string, options: ListOptions): Promise<ListPage> {
    return queryPartnerRequests(this.client, this.tableName, partnerId, options);
  }

  async close(
    requestId: string,
    to: RequestStatus,
    options: CloseGuard & { reason?: string; at?: Date; declineReason?: string | null } = {},
  ): Promise<CloseOutcome | undefined> {
    const closing = closingOf(to, options.at ?? this.now(), options.reason, options.declineReason);
    // The status filter's key names the partner, and an update cannot build a string from an
    // attribute: a closer that does not say whose request it is (the workflow, the sweep)
    // costs one read first. The condition then also holds the request to that partner.
    const partnerId = options.partnerId ?? (await this.get(requestId))?.partnerId;
    if (!partnerId) return undefined;
    // mayClose: still pending (the one arbiter), the partner's own, and for an abandoned
    // request still without a task token (its execution may have stored one meanwhile).
    const condition = [
      '#status = :pending',
      'partnerId = :partnerId',
      ...(options.unstartedOnly ? ['attribute_not_exists(taskToken)'] : []),
      // ISO 8601 UTC strings of one format order as their times do.
      ...(options.dueBy ? ['expiresAt <= :dueBy'] : []),
      ...(options.codeHash ? ['codeHash = :codeHash'] : []),
    ].join(' AND ');
    const closed = await this.changes.updateRequestIf(requestId, {
      ConditionExpression: condition,
      // Stays in the sweep index (a pending request is in it) with a near sweepAt: if the
      // signal or the outcome e-mails get lost, the sweep completes them.
      UpdateExpression: `SET #status = :to, #statusKey = :statusKey, #timestamp = :at, closeReason = :reason, history = list_append(history, :change), sweepAt = :sweepAt, declineReason = :declineReason, ${APPEND_EVENT}`,
      ExpressionAttributeNames: {
        ...STATUS_NAME,
        '#statusKey': FILTER_ATTRIBUTES.status,
        '#timestamp': closing.timestampField,
      },
      ExpressionAttributeValues: {
        ':pending': RequestStatus.PENDING_ACTIVATION,
        ':to': closing.status,
        ':statusKey': filterKeys.status(partnerId, closing.status),
        ':partnerId': partnerId,
        ':at': closing.at,
        ':sweepAt': closing.sweepAt,
        ':declineReason': closing.declineReason,
        ':reason': closing.closeReason,
        ':change': [closing.change],
        ...appendEventValues(closing.event),
        ...(options.dueBy ? { ':dueBy': options.dueBy.toISOString() } : {}),
        ...(options.codeHash ? { ':codeHash': options.codeHash } : {}),
      },
    });
    if (closed) return { won: true, request: closed };
    const current = await this.get(requestId);
    if (!current || !isOwnedBy(current, partnerId)) return undefined;
    return { won: false, request: current };
  }

  async attachActivation(
    requestId: string,
    activation: ActivationWait,
  ): Promise<SmartAccountRequest | undefined> {
    // The code item first: once the request carries the hash, its link must resolve. A code
    // item left by a lost race points at a closed request, whose page says so.
    await this.changes.putCodeItem(activation.codeHash, requestId);
    // mayAttachActivation: pending, and the nonce is the one the first send fixed (if any).
    return this.changes.updateRequestIf(requestId, {
      ConditionExpression:
        '#status = :pending AND (attribute_not_exists(codeNonce) OR codeNonce = :nonce)',
      UpdateExpression:
        'SET taskToken = :token, codeHash = :hash, codeNonce = :nonce, wakeAt = :wakeAt, sweepAt = :sweepAt',
      ExpressionAttributeNames: STATUS_NAME,
      ExpressionAttributeValues: {
        ':pending': RequestStatus.PENDING_ACTIVATION,
        ':token': activation.taskToken,
        ':hash': activation.codeHash,
        ':nonce': activation.codeNonce,
        ':wakeAt': activation.wakeAt,
        ':sweepAt': activation.sweepAt,
      },
    });
  }

  extend(
    requestId: string,
    change: { from: string; to: string; nextReminderAt: string | null },
  ): Promise<SmartAccountRequest | undefined> {
    return this.changes.updateRequestIf(requestId, {
      // Still pending, and still at the expiry the new one was checked against. The reminders
      // follow the new date (planned by the caller from it).
      ConditionExpression: '#status = :pending AND expiresAt = :from',
      UpdateExpression: `SET expiresAt = :to, #expiryKey = :expiryKey, nextReminderAt = :next, sweepAt = :sweepAt, ${APPEND_EVENT}`,
      ExpressionAttributeNames: { ...STATUS_NAME, '#expiryKey': FILTER_ATTRIBUTES.expiry },
      ExpressionAttributeValues: {
        ':pending': RequestStatus.PENDING_ACTIVATION,
        ':from': change.from,
        ':to': change.to,
        ':expiryKey': filterKeys.expiry(change.to, requestId),
        ':next': change.nextReminderAt,
        ...changeEventValues(EventType.UPDATED, this.now()),
      },
    });
  }

  correct(
    requestId: string,
    correction: RequestCorrection,
  ): Promise<SmartAccountRequest | undefined> {
    return this.changes.correct(requestId, correction);
  }

  clearPendingEvents(requestId: string, eventIds: readonly string[]): Promise<void> {
    return this.changes.clearPendingEvents(requestId, eventIds);
  }

  recordReminder(requestId: string, key: string): Promise<void> {
    return this.changes.recordReminder(requestId, key);
  }

  planNextReminder(requestId: string, change: { from: string; to: string | null }): Promise<void> {
    return this.changes.planNextReminder(requestId, change);
  }

  async markActivationSent(requestId: string, at: Date): Promise<void> {
    // The first send's time stays; written even after a close (Settle reads it to decide
    // whether the customer heard of the request and must hear of its withdrawal).
    await this.changes.updateRequestIf(requestId, {
      ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(activationSentAt)',
      UpdateExpression: 'SET activationSentAt = :at',
      ExpressionAttributeValues: { ':at': at.toISOString() },
    });
  }

  async countResend(
    requestId: string,
    partnerId: string,
    maxResends: number,
  ): Promise<
    { ok: true; request: SmartAccountRequest } | { ok: false; request?: SmartAccountRequest }
  > {
    // mayCountResend: pending, the partner's own, under the limit, and the link exists.
    const counted = await this.changes.updateRequestIf(requestId, {
      ConditionExpression:
        '#status = :pending AND partnerId = :partnerId AND resendCount < :max AND attribute_exists(codeNonce)',
      UpdateExpression: 'SET resendCount = resendCount + :one',
      ExpressionAttributeNames: STATUS_NAME,
      ExpressionAttributeValues: {
        ':pending': RequestStatus.PENDING_ACTIVATION,
        ':partnerId': partnerId,
        ':max': maxResends,
        ':one': 1,
      },
    });
    if (counted) return { ok: true, request: counted };
    const current = await this.get(requestId);
    return current && isOwnedBy(current, partnerId)
      ? { ok: false, request: current }
      : { ok: false };
  }

  async recordSentEmail(requestId: string, key: string): Promise<void> {
    // ADD would create a bare item for a request that does not exist; the condition stops it.
    await this.changes.updateRequestIf(requestId, {
      ConditionExpression: 'attribute_exists(PK)',
      UpdateExpression: 'ADD sentEmails :key',
      ExpressionAttributeValues: { ':key': new Set([key]) },
    });
  }

  async markNotified(
    requestId: string,
    status: RequestStatus,
    retention?: RetentionPlan,
  ): Promise<boolean> {
    const marked = await this.changes.updateRequestIf(
      requestId,
      settledUpdate(requestId, status, retention),
    );
    return marked !== undefined;
  }
}
