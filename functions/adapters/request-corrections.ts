import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { EventType } from '../domain/events.ts';
import type { RequestCorrection } from '../domain/ports.ts';
import type { SmartAccountRequest } from '../domain/smart-account-request.ts';
import { RequestStatus } from '../shared/status.ts';
import { APPEND_EVENT, changeEventValues, STATUS_NAME, toRequest } from './request-items.ts';
import { type ConditionalUpdate, storeCall, updateItemIf } from './store-errors.ts';
import { FILTER_ATTRIBUTES, filterKeys, keys } from './table-keys.ts';

/**
 * The writes that change a pending request without closing it: a partner's PATCH and the
 * reminder schedule. Kept apart from the lifecycle writes of DynamoRequestStore, which
 * delegates to these.
 */
export class RequestCorrections {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Every activation code resolves through an item of its own, keyed by the code's hash. */
  async putCodeItem(codeHash: string, requestId: string): Promise<void> {
    await storeCall(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.activationCode(codeHash), entity: 'CODE', requestId },
        }),
      ),
    );
  }

  async correct(
    requestId: string,
    correction: RequestCorrection,
  ): Promise<SmartAccountRequest | undefined> {
    const { newLink } = correction;
    // The new code item first, as in attachActivation: once the request carries the hash, the
    // link must resolve.
    if (newLink) await this.putCodeItem(newLink.codeHash, requestId);
    const fields = Object.entries(correction.fields);
    const newCustomer = correction.fields.customerEmail;
    const sets = [
      ...fields.map((_, index) => `#f${index} = :f${index}`),
      // The customer filter's key follows the address (the request stays the partner's).
      ...(newCustomer ? ['#customerKey = :customerKey'] : []),
      ...(newLink ? ['codeNonce = :newNonce', 'codeHash = :newHash'] : []),
      'sweepAt = :sweepAt',
      APPEND_EVENT,
    ];
    const corrected = await this.updateRequestIf(requestId, {
      // mayCorrect: pending, the partner's own, and still the link it was planned against.
      ConditionExpression: `#status = :pending AND partnerId = :partnerId AND ${
        correction.seenNonce ? 'codeNonce = :seenNonce' : 'attribute_not_exists(codeNonce)'
      }`,
      // A new link has not been mailed yet: until it is, the customer has not heard of the
      // request (no reminder, no withdrawal notice), and the next wait mails it if the PATCH
      // could not.
      UpdateExpression: `SET ${sets.join(', ')}${newLink ? ' REMOVE activationSentAt' : ''}`,
      ExpressionAttributeNames: {
        ...STATUS_NAME,
        ...Object.fromEntries(fields.map(([name], index) => [`#f${index}`, name])),
        ...(newCustomer ? { '#customerKey': FILTER_ATTRIBUTES.customerEmail } : {}),
      },
      ExpressionAttributeValues: {
        ':pending': RequestStatus.PENDING_ACTIVATION,
        ':partnerId': correction.partnerId,
        ...(correction.seenNonce ? { ':seenNonce': correction.seenNonce } : {}),
        ...(newLink ? { ':newNonce': newLink.codeNonce, ':newHash': newLink.codeHash } : {}),
        ...Object.fromEntries(fields.map(([, value], index) => [`:f${index}`, value])),
        ...(newCustomer
          ? { ':customerKey': filterKeys.customerEmail(correction.partnerId, newCustomer) }
          : {}),
        ...changeEventValues(EventType.UPDATED, new Date()),
      },
    });
    // The old link stops resolving at the write above (findByCodeHash checks the request's
    // own hash); dropping its item only tidies up, so a crash before it loses nothing.
    if (corrected && newLink?.replaces) {
      await storeCall(() =>
        this.client.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: keys.activationCode(newLink.replaces as string),
          }),
        ),
      );
    }
    return corrected;
  }

  async recordReminder(requestId: string, key: string): Promise<void> {
    await this.updateRequestIf(requestId, {
      // Once per key: ADD to a string set repeats harmlessly, the counter would not.
      ConditionExpression: 'attribute_exists(PK) AND NOT contains(sentEmails, :keyString)',
      UpdateExpression: `SET sweepAt = :sweepAt, ${APPEND_EVENT} ADD sentEmails :key, remindersSent :one`,
      ExpressionAttributeValues: {
        ':key': new Set([key]),
        ':keyString': key,
        ':one': 1,
        ...changeEventValues(EventType.REMINDER_SENT, new Date()),
      },
    });
  }

  async planNextReminder(
    requestId: string,
    change: { from: string; to: string | null },
  ): Promise<void> {
    await this.updateRequestIf(requestId, {
      // An extension that planned the reminders again meanwhile wins: its plan follows its date.
      ConditionExpression: '#status = :pending AND nextReminderAt = :from',
      UpdateExpression: 'SET nextReminderAt = :to',
      ExpressionAttributeNames: STATUS_NAME,
      ExpressionAttributeValues: {
        ':pending': RequestStatus.PENDING_ACTIVATION,
        ':from': change.from,
        ':to': change.to,
      },
    });
  }

  async clearPendingEvents(requestId: string, eventIds: readonly string[]): Promise<void> {
    if (eventIds.length === 0) return;
    await this.updateRequestIf(requestId, {
      // The head of the list is still what was published; events appended meanwhile stay.
      ConditionExpression: eventIds
        .map((_, index) => `pendingEvents[${index}].id = :e${index}`)
        .join(' AND '),
      // Highest index first: DynamoDB removes the listed elements of the list as it was, dynalite
      // one after the other (each removal shifts the rest); in this order both remove the same.
      UpdateExpression: `REMOVE ${eventIds
        .map((_, index) => `pendingEvents[${index}]`)
        .reverse()
        .join(', ')}`,
      ExpressionAttributeValues: Object.fromEntries(
        eventIds.map((id, index) => [`:e${index}`, id]),
      ),
    });
  }

  /** A conditional update of one request item: the request as updated, or undefined. */
  async updateRequestIf(
    requestId: string,
    update: ConditionalUpdate,
  ): Promise<SmartAccountRequest | undefined> {
    const updated = await updateItemIf(
      this.client,
      this.tableName,
      keys.request(requestId),
      update,
    );
    return updated ? toRequest(updated) : undefined;
  }
}
