import { type PendingEvent, pendingEvent } from '../domain/event-outbox.ts';
import type { WebhookEventType } from '../domain/events.ts';
import type { RetentionPlan } from '../domain/ports.ts';
import type { SmartAccountRequest } from '../domain/smart-account-request.ts';
import { SweepDelay, sweepAfter } from '../domain/sweep.ts';
import type { RequestStatus } from '../shared/status.ts';
import type { ConditionalUpdate } from './store-errors.ts';
import {
  FILTER_ATTRIBUTES,
  filterKeys,
  keys,
  retentionShardOf,
  SWEEP_INDEX,
  sweepShardOf,
  TTL_ATTRIBUTE,
} from './table-keys.ts';

/** The filter indexes' keys of a request (table-keys.ts FILTER_INDEXES). */
export const filterKeyAttributes = (
  request: Pick<
    SmartAccountRequest,
    'id' | 'partnerId' | 'status' | 'accountDomain' | 'customerEmail' | 'expiresAt'
  >,
): Record<string, string> => ({
  [FILTER_ATTRIBUTES.status]: filterKeys.status(request.partnerId, request.status),
  [FILTER_ATTRIBUTES.accountDomain]: filterKeys.accountDomain(
    request.partnerId,
    request.accountDomain,
  ),
  [FILTER_ATTRIBUTES.customerEmail]: filterKeys.customerEmail(
    request.partnerId,
    request.customerEmail,
  ),
  [FILTER_ATTRIBUTES.expiry]: filterKeys.expiry(request.expiresAt, request.id),
});

/** A request as its item in the table: key attributes for the item and its indexes. */
export const requestItem = (request: SmartAccountRequest): Record<string, unknown> => ({
  ...keys.request(request.id),
  entity: 'REQUEST',
  GSI1PK: keys.partnerRequestsIndex(request.partnerId),
  GSI1SK: `${request.createdAt}#${request.id}`,
  ...filterKeyAttributes(request),
  // In the sparse sweep index while unsettled: `sweepAt` is the sort key, this the partition.
  ...(request.sweepAt ? { [SWEEP_INDEX.partitionKey]: sweepShardOf(request.id) } : {}),
  ...request,
});

const INTERNAL_ATTRIBUTES = [
  'PK',
  'SK',
  'GSI1PK',
  'GSI1SK',
  'entity',
  SWEEP_INDEX.partitionKey,
  ...Object.values(FILTER_ATTRIBUTES),
  'ttl',
] as const;

/** The request an item holds, without the table's own attributes. */
export const toRequest = (item: Record<string, unknown>): SmartAccountRequest => {
  const copy: Record<string, unknown> = { ...item };
  for (const attribute of INTERNAL_ATTRIBUTES) delete copy[attribute];
  return copy as unknown as SmartAccountRequest;
};

/** `status` is a DynamoDB reserved word. */
export const STATUS_NAME = { '#status': 'status' } as const;

/**
 * Appends the change's event to the request's outbox (functions/domain/event-outbox.ts) in the
 * same write as the change; creates the list on a request stored before the outbox existed.
 */
export const APPEND_EVENT =
  'pendingEvents = list_append(if_not_exists(pendingEvents, :noEvents), :event)';
export const appendEventValues = (event: PendingEvent) => ({
  ':noEvents': [],
  ':event': [event],
});

/**
 * A change of a pending request (PATCH, extend, reminder): its event, and a near `sweepAt` so
 * the sweep publishes the event if the writer does not live to.
 */
export const changeEventValues = (type: WebhookEventType, at: Date) => ({
  ...appendEventValues(pendingEvent(type, at)),
  ':sweepAt': sweepAfter(at, SweepDelay.AFTER_CHANGE_SECONDS),
});

/**
 * Settle's mark: `notifiedStatus`, and when retention ends (`retainUntil`, the TTL attribute).
 * The request leaves the sparse sweep index, unless the sweep is the one that deletes it when
 * its retention ends (the local stack; DynamoDB's TTL does it on AWS).
 */
export const settledUpdate = (
  requestId: string,
  status: RequestStatus,
  retention: RetentionPlan | undefined,
): ConditionalUpdate => {
  const leaves = !retention?.bySweep;
  return {
    // mayMarkNotified: the first Settle of this status marks it.
    ConditionExpression: 'attribute_not_exists(notifiedStatus) AND #status = :status',
    UpdateExpression: [
      'SET notifiedStatus = :status',
      ...(retention ? [', retainUntil = :retainUntil, #ttl = :ttl'] : []),
      ...(leaves
        ? [' REMOVE #sweepShard, sweepAt']
        : [', sweepAt = :retainUntil, #sweepShard = :shard']),
    ].join(''),
    ExpressionAttributeNames: {
      ...STATUS_NAME,
      '#sweepShard': SWEEP_INDEX.partitionKey,
      ...(retention ? { '#ttl': TTL_ATTRIBUTE } : {}),
    },
    ExpressionAttributeValues: {
      ':status': status,
      ...(retention
        ? {
            ':retainUntil': retention.retainUntil,
            ':ttl': Math.ceil(Date.parse(retention.retainUntil) / 1000),
          }
        : {}),
      ...(leaves ? {} : { ':shard': retentionShardOf(requestId) }),
    },
  };
};
