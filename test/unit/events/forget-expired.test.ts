import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { requestItem } from '../../../functions/adapters/request-items.ts';
import { lambdaContext } from '../../../local/lambda-context.ts';
import { aRequest } from '../../support/in-memory-stores.ts';

/** events/forget-expired at the SDK boundary: what a TTL removal on the stream deletes. */
const documents = mockClient(DynamoDBDocumentClient);

let handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

beforeAll(async () => {
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('TABLE_NAME', 'requests');
  const module = await import('../../../functions/events/forget-expired.ts');
  handler = (event) => module.handler(event, lambdaContext('events-forget-expired'));
});

afterAll(() => {
  documents.restore();
  vi.unstubAllEnvs();
});

beforeEach(() => {
  documents.reset();
  documents.on(QueryCommand).resolves({
    Items: [
      { PK: 'REQUEST#sar_GONE', SK: 'EVENT#2026-12-01T00:00:00.000Z#evt_1' },
      { PK: 'REQUEST#sar_GONE', SK: 'EVENT#2026-12-02T00:00:00.000Z#evt_2' },
    ],
  });
  documents.on(BatchWriteCommand).resolves({});
  // No tombstone yet: the request's rest is still to do.
  documents.on(GetCommand).resolves({});
  documents.on(PutCommand).resolves({});
  documents.on(DeleteCommand).resolves({});
  documents.on(UpdateCommand).resolves({});
});

const expired = aRequest({
  id: 'sar_GONE',
  partnerId: 'partner-1',
  status: 'EXPIRED',
  notifiedStatus: 'EXPIRED',
  countedStatus: 'EXPIRED',
  codeHash: 'hash-1',
});

const removal = (
  overrides: { by?: string; eventName?: 'REMOVE' | 'MODIFY'; item?: Record<string, unknown> } = {},
) => ({
  eventName: overrides.eventName ?? 'REMOVE',
  userIdentity: { type: 'Service', principalId: overrides.by ?? 'dynamodb.amazonaws.com' },
  dynamodb: {
    SequenceNumber: '100',
    OldImage: marshall(overrides.item ?? requestItem(expired), {
      removeUndefinedValues: true,
      convertClassInstanceToMap: true,
    }) as never,
  },
});

const streamOf = (...records: ReturnType<typeof removal>[]) =>
  ({ Records: records }) as unknown as DynamoDBStreamEvent;

describe('the rest of a request DynamoDB’s TTL deleted', () => {
  it('deletes its timeline, its lock and its code, and takes it out of its count', async () => {
    expect(await handler(streamOf(removal()))).toEqual({ batchItemFailures: [] });

    const deletions = documents
      .commandCalls(BatchWriteCommand)
      .flatMap((call) => call.args[0].input.RequestItems?.requests ?? [])
      .map((entry) => entry.DeleteRequest?.Key?.SK);
    expect(deletions).toEqual([
      'EVENT#2026-12-01T00:00:00.000Z#evt_1',
      'EVENT#2026-12-02T00:00:00.000Z#evt_2',
    ]);
    expect(documents.commandCalls(DeleteCommand).map((call) => call.args[0].input)).toEqual([
      expect.objectContaining({
        Key: { PK: `DOMAIN#${expired.accountDomain}`, SK: 'LOCK' },
        ConditionExpression: 'requestId = :mine',
        ExpressionAttributeValues: { ':mine': 'sar_GONE' },
      }),
      expect.objectContaining({ Key: { PK: 'CODE#hash-1', SK: 'CODE' } }),
    ]);
    const counter = documents.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(counter).toMatchObject({
      Key: { PK: 'PARTNER#partner-1', SK: 'COUNTS' },
      UpdateExpression: 'ADD #from :minusOne SET #marker = :mark',
      ExpressionAttributeNames: { '#from': 'EXPIRED', '#marker': 'counting#sar_GONE' },
      ExpressionAttributeValues: { ':mark': 'EXPIRED>FORGOTTEN', ':minusOne': -1 },
    });
  });

  it('ignores deletions by anyone else, changes, and items that are not requests', async () => {
    const answer = await handler(
      streamOf(
        removal({ by: 'arn:aws:sts::000000000000:assumed-role/sweep' }),
        removal({ eventName: 'MODIFY' }),
        removal({ item: { PK: 'IDEMPOTENCY#x', SK: 'IDEMPOTENCY', entity: 'IDEMPOTENCY' } }),
      ),
    );

    expect(answer).toEqual({ batchItemFailures: [] });
    expect(documents.calls()).toHaveLength(0);
  });

  it('leaves its tombstone, and a record that comes again after that changes nothing', async () => {
    await handler(streamOf(removal()));
    const tombstone = documents.commandCalls(PutCommand)[0]?.args[0].input.Item;
    expect(tombstone).toMatchObject({
      PK: 'REQUEST#sar_GONE',
      SK: 'FORGOTTEN',
      ttl: expect.any(Number),
    });
    documents.reset();
    documents.on(GetCommand).resolves({ Item: tombstone });

    expect(await handler(streamOf(removal()))).toEqual({ batchItemFailures: [] });

    expect(documents.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(documents.commandCalls(BatchWriteCommand)).toHaveLength(0);
  });

  it('reports the first record it could not finish and stops, as Lambda retries from there', async () => {
    documents
      .on(QueryCommand)
      .rejects(
        Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} }),
      );

    const later = removal();
    later.dynamodb.SequenceNumber = '101';

    expect(await handler(streamOf(removal(), later))).toEqual({
      batchItemFailures: [{ itemIdentifier: '100' }],
    });
    expect(documents.commandCalls(QueryCommand)).toHaveLength(1);
  });
});
