import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDomainLocks } from '../../../functions/adapters/dynamo-domain-locks.ts';
import { DynamoRequestStore } from '../../../functions/adapters/dynamo-request-store.ts';
import { DependencyUnavailable } from '../../../functions/shared/errors.ts';
import { aRequest } from '../../support/in-memory-stores.ts';

/**
 * What DynamoDB's answers become, at the SDK boundary. How the stores behave is the contract
 * suite's (request-store-contract.test.ts, on dynalite); this covers what dynalite cannot
 * produce: throttling, faults, a dropped connection, a lost reply.
 */
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const documents = mockClient(client);
const store = new DynamoRequestStore(client, 'requests');
const locks = new DynamoDomainLocks(client, 'requests');
const lock = { domain: 'acme.example', requestId: 'sar_NEW', lockedAt: '2026-11-25T10:00:00.000Z' };

const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const throttled = () =>
  new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: {} });
const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
const serverFault = () =>
  Object.assign(new Error('We encountered an internal error'), {
    name: 'InternalServerError',
    $metadata: { httpStatusCode: 500 },
  });

beforeEach(() => {
  documents.reset();
});

describe('DynamoDB failures a retry can fix', () => {
  it.each([
    ['throttling', throttled],
    ['a refused connection', refused],
    ['a fault on its side', serverFault],
  ])(
    'reports %s as DynamoDB unavailable, with the SDK error as its cause',
    async (_what, error) => {
      const failure = error();
      documents.onAnyCommand().rejects(failure);

      const reads = [
        store.get('sar_NEW'),
        store.listByPartner('partner-1', { limit: 5 }),
        locks.get('acme.example'),
      ];
      const writes = [
        store.insert(aRequest()),
        store.close('sar_NEW', 'CANCELLED'),
        locks.take(lock),
        locks.takeOver(lock, 'sar_OLD'),
        locks.release(lock),
      ];

      for (const call of [...reads, ...writes]) {
        const thrown = await call.then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(thrown).toBeInstanceOf(DependencyUnavailable);
        expect(thrown).toMatchObject({ dependency: 'DynamoDB', cause: failure });
      }
    },
  );

  it('lets any other error through as it is: it is a bug, not an outage', async () => {
    const invalid = Object.assign(new Error('One or more parameter values were invalid'), {
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
    });
    documents.on(GetCommand).rejects(invalid);

    await expect(store.get('sar_NEW')).rejects.toBe(invalid);
  });
});

describe('conditions that did not hold', () => {
  it('counts an insert whose item exists as its own earlier attempt (the reply was lost)', async () => {
    documents.on(PutCommand).rejects(conditionFailed());

    await expect(store.insert(aRequest())).resolves.toBeUndefined();
  });

  it('reads the winner with a consistent read after losing a close', async () => {
    documents.on(UpdateCommand).rejects(conditionFailed());
    documents.on(GetCommand).resolves({ Item: aRequest({ status: 'ACTIVE' }) });

    await expect(store.close('sar_01TEST', 'EXPIRED')).resolves.toMatchObject({
      won: false,
      request: { status: 'ACTIVE' },
    });
    expect(documents).toHaveReceivedCommandWith(GetCommand, { ConsistentRead: true });
  });

  it('answers false for a lock that is taken, and treats a lock taken over meanwhile as not ours to release', async () => {
    documents.on(PutCommand).rejects(conditionFailed());
    documents.on(DeleteCommand).rejects(conditionFailed());

    expect(await locks.take(lock)).toBe(false);
    expect(await locks.takeOver(lock, 'sar_OLD')).toBe(false);
    await expect(locks.release(lock)).resolves.toBeUndefined();
  });

  it('reads a lock with a consistent read: a create decides on it', async () => {
    documents.on(GetCommand).resolves({ Item: { requestId: 'sar_OLD', lockedAt: lock.lockedAt } });

    expect(await locks.get('acme.example')).toEqual({
      domain: 'acme.example',
      requestId: 'sar_OLD',
      lockedAt: lock.lockedAt,
    });
    expect(documents).toHaveReceivedCommandWith(GetCommand, {
      Key: { PK: 'DOMAIN#acme.example', SK: 'LOCK' },
      ConsistentRead: true,
    });
  });
});

describe('a filtered page whose index lags its items', () => {
  const stored = (id: string, status: string) => ({
    ...aRequest({ id, partnerId: 'partner-1', status: status as 'ACTIVE' }),
    PK: `REQUEST#${id}`,
    SK: 'REQUEST',
  });
  const hit = (id: string) => ({
    PK: `REQUEST#${id}`,
    SK: 'REQUEST',
    statusKey: 'PARTNER#partner-1#STATUS#ACTIVE',
    GSI1SK: `2026-11-25T10:00:00.000Z#${id}`,
  });

  it('leaves out a request that changed or went since the index saw it, and fills the page from the next hits', async () => {
    // The index still lists sar_B as ACTIVE and sar_C at all; the items say otherwise.
    documents
      .on(QueryCommand)
      .resolvesOnce({
        Items: [hit('sar_A'), hit('sar_B'), hit('sar_C')],
        LastEvaluatedKey: hit('sar_C'),
      })
      .resolvesOnce({ Items: [hit('sar_D'), hit('sar_E')] });
    documents
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { requests: [stored('sar_A', 'ACTIVE'), stored('sar_B', 'CANCELLED')] },
      })
      .resolvesOnce({
        Responses: { requests: [stored('sar_D', 'ACTIVE'), stored('sar_E', 'ACTIVE')] },
      });

    const page = await store.listByPartner('partner-1', { limit: 2, status: 'ACTIVE' });

    expect(page.items.map((item) => item.id)).toEqual(['sar_A', 'sar_D']);
    // sar_E is the one more that says the page is not the last.
    expect(page.nextCursor).not.toBeNull();
    expect(documents.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      IndexName: 'PartnerStatus',
      ExpressionAttributeValues: { ':pk': 'PARTNER#partner-1#STATUS#ACTIVE' },
      Limit: 3,
    });
  });

  it('reads again the keys BatchGetItem left unprocessed', async () => {
    documents.on(QueryCommand).resolves({ Items: [hit('sar_A'), hit('sar_B')] });
    documents
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { requests: [stored('sar_A', 'ACTIVE')] },
        UnprocessedKeys: { requests: { Keys: [{ PK: 'REQUEST#sar_B', SK: 'REQUEST' }] } },
      })
      .resolvesOnce({ Responses: { requests: [stored('sar_B', 'ACTIVE')] } });

    const page = await store.listByPartner('partner-1', { limit: 5, status: 'ACTIVE' });

    expect(page).toMatchObject({ nextCursor: null });
    expect(page.items.map((item) => item.id)).toEqual(['sar_A', 'sar_B']);
  });
});
