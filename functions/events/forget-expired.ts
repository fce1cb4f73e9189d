import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { toRequest } from '../adapters/request-items.ts';
import { retention } from '../adapters/wiring.ts';
import { logger } from '../shared/logger.ts';
import { observedHandler } from '../shared/observability.ts';

const forgetting = retention();

/**
 * A request item DynamoDB's TTL deleted: the stream's REMOVE by the service itself (a delete
 * by any function names that function's role instead). The event source mapping's filter
 * passes only these; checking again here keeps a wider filter from deleting anything else.
 */
const expiredRequestOf = (record: DynamoDBRecord) => {
  const removedByTtl =
    record.eventName === 'REMOVE' &&
    record.userIdentity?.type === 'Service' &&
    record.userIdentity?.principalId === 'dynamodb.amazonaws.com';
  const image = record.dynamodb?.OldImage;
  if (!removedByTtl || !image) return undefined;
  const item = unmarshall(image as Record<string, AttributeValue>);
  return item.entity === 'REQUEST' && item.SK === 'REQUEST' ? toRequest(item) : undefined;
};

/**
 * Retention on AWS (functions/domain/retention.ts): the rest of a request DynamoDB's TTL
 * deleted, its timeline, lock and code, and its status out of the counters. The first record
 * that fails is reported, and the batch is retried from it.
 */
export const handler = observedHandler(
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      const request = expiredRequestOf(record);
      if (!request) continue;
      try {
        await forgetting.forgetDeleted(request);
        logger.info('retention ended', { requestId: request.id, status: request.status });
      } catch (error) {
        // Lambda retries the batch from the first failed record on, the ones after it too:
        // stop here, as the records after it come again (each finds its tombstone if done).
        logger.error('retention left for a retry', { requestId: request.id, error });
        batchItemFailures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
        break;
      }
    }
    return { batchItemFailures };
  },
);
