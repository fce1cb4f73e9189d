import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoRequestStore } from '../../../functions/adapters/dynamo-request-store.ts';
import type { SmartAccountRequest } from '../../../functions/domain/smart-account-request.ts';
import {
  DomainTaken,
  StoreUnavailable,
  ValidationFailed,
} from '../../../functions/shared/errors.ts';

const documents = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const NOW = new Date('2026-11-25T10:00:00.000Z');
const store = new DynamoRequestStore(client, 'requests', {
  abandonedAfterSeconds: 300,
  now: () => NOW,
});

const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

const request = (overrides: Partial<SmartAccountRequest> = {}): SmartAccountRequest => ({
  id: 'sar_NEW',
  partnerId: 'partner-1',
  partnerName: 'Partner One',
  status: 'PENDING_ACTIVATION',
  accountName: 'Acme BV',
  accountDomain: 'acme.example',
  customerEmail: 'it@acme.example',
  noteToCustomer: null,
  userEmails: [],
  noteToUsers: null,
  locale: 'en',
  createdAt: NOW.toISOString(),
  expiresAt: '2027-02-23T10:00:00.000Z',
  activatedAt: null,
  closedAt: null,
  closeReason: null,
  history: [{ status: 'PENDING_ACTIVATION', at: NOW.toISOString() }],
  resendCount: 0,
  ...overrides,
});

const lockKey = { PK: 'DOMAIN#acme.example', SK: 'LOCK' };
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();

beforeEach(() => {
  documents.reset();
});

describe('creating a request', () => {
  it('takes the domain lock only if nobody holds it, then writes the request', async () => {
    documents.on(PutCommand).resolves({});
    await store.create(request());
    expect(documents).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ ...lockKey, requestId: 'sar_NEW' }),
      ConditionExpression: 'attribute_not_exists(PK)',
    });
    expect(documents).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({
        PK: 'REQUEST#sar_NEW',
        GSI1PK: 'PARTNER#partner-1',
        GSI1SK: `${NOW.toISOString()}#sar_NEW`,
      }),
      ConditionExpression: 'attribute_not_exists(PK)',
    });
  });

  it('refuses the domain while its holder is pending, without writing a request', async () => {
    documents.on(PutCommand, { Item: lockKey }).rejects(conditionFailed());
    documents
      .on(GetCommand, { Key: lockKey })
      .resolves({ Item: { requestId: 'sar_OLD', lockedAt: minutesAgo(1) } });
    documents
      .on(GetCommand, { Key: { PK: 'REQUEST#sar_OLD', SK: 'REQUEST' } })
      .resolves({ Item: request({ id: 'sar_OLD', taskToken: 'token' }) });
    await expect(store.create(request())).rejects.toBeInstanceOf(DomainTaken);
    expect(documents).not.toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ PK: 'REQUEST#sar_NEW' }),
    });
  });

  it('takes over the lock of a terminal request, conditioned on the old holder', async () => {
    documents
      .on(PutCommand)
      .resolves({})
      .on(PutCommand, { ConditionExpression: 'attribute_not_exists(PK)', Item: lockKey })
      .rejects(conditionFailed());
    documents
      .on(GetCommand, { Key: lockKey })
      .resolves({ Item: { requestId: 'sar_OLD', lockedAt: minutesAgo(60) } });
    documents
      .on(GetCommand, { Key: { PK: 'REQUEST#sar_OLD', SK: 'REQUEST' } })
      .resolves({ Item: request({ id: 'sar_OLD', status: 'EXPIRED' }) });
    await store.create(request());
    expect(documents).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ ...lockKey, requestId: 'sar_NEW' }),
      ConditionExpression: 'requestId = :previous',
      ExpressionAttributeValues: { ':previous': 'sar_OLD' },
    });
  });

  it('answers DomainTaken when another create won the takeover', async () => {
    documents.on(PutCommand).rejects(conditionFailed());
    documents
      .on(GetCommand, { Key: lockKey })
      .resolves({ Item: { requestId: 'sar_OLD', lockedAt: minutesAgo(60) } });
    documents
      .on(GetCommand, { Key: { PK: 'REQUEST#sar_OLD', SK: 'REQUEST' } })
      .resolves({ Item: request({ id: 'sar_OLD', status: 'CANCELLED' }) });
    await expect(store.create(request())).rejects.toBeInstanceOf(DomainTaken);
  });

  it('frees a domain whose request never got an execution, by failing that request first', async () => {
    documents
      .on(PutCommand)
      .resolves({})
      .on(PutCommand, { ConditionExpression: 'attribute_not_exists(PK)', Item: lockKey })
      .rejects(conditionFailed());
    documents
      .on(GetCommand, { Key: lockKey })
      .resolves({ Item: { requestId: 'sar_OLD', lockedAt: minutesAgo(10) } });
    documents
      .on(GetCommand, { Key: { PK: 'REQUEST#sar_OLD', SK: 'REQUEST' } })
      .resolves({ Item: request({ id: 'sar_OLD', createdAt: minutesAgo(10) }) });
    documents.on(UpdateCommand).resolves({});
    await store.create(request());
    expect(documents).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { PK: 'REQUEST#sar_OLD', SK: 'REQUEST' },
      ConditionExpression: '#status = :pending AND attribute_not_exists(taskToken)',
      ExpressionAttributeValues: expect.objectContaining({
        ':failed': 'FAILED',
        ':reason': 'ExecutionNotStarted',
      }),
    });
  });

  it('keeps a fresh lock whose request is not written yet, and frees an old orphaned one', async () => {
    documents.on(PutCommand, { Item: lockKey }).rejects(conditionFailed());
    documents.on(GetCommand, { Key: { PK: 'REQUEST#sar_OLD', SK: 'REQUEST' } }).resolves({});
    documents
      .on(GetCommand, { Key: lockKey })
      .resolves({ Item: { requestId: 'sar_OLD', lockedAt: minutesAgo(0) } });
    await expect(store.create(request())).rejects.toBeInstanceOf(DomainTaken);

    documents.reset();
    documents
      .on(PutCommand)
      .resolves({})
      .on(PutCommand, { ConditionExpression: 'attribute_not_exists(PK)', Item: lockKey })
      .rejects(conditionFailed());
    documents.on(GetCommand, { Key: { PK: 'REQUEST#sar_OLD', SK: 'REQUEST' } }).resolves({});
    documents
      .on(GetCommand, { Key: lockKey })
      .resolves({ Item: { requestId: 'sar_OLD', lockedAt: minutesAgo(5) } });
    await store.create(request());
    expect(documents).toHaveReceivedCommandWith(PutCommand, {
      ConditionExpression: 'requestId = :previous',
    });
  });

  it('releases its lock when the request write fails, and reports the store as unavailable', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    documents
      .on(PutCommand, { Item: lockKey })
      .resolves({})
      .on(PutCommand, { Item: { PK: 'REQUEST#sar_NEW' } })
      .rejects(throttled);
    documents.on(DeleteCommand).resolves({});
    await expect(store.create(request())).rejects.toBeInstanceOf(StoreUnavailable);
    expect(documents).toHaveReceivedCommandWith(DeleteCommand, {
      Key: lockKey,
      ConditionExpression: 'requestId = :mine',
      ExpressionAttributeValues: { ':mine': 'sar_NEW' },
    });
  });
});

describe('changing status', () => {
  it('changes status only from PENDING_ACTIVATION, for the owning partner', async () => {
    documents.on(UpdateCommand).resolves({ Attributes: request({ status: 'CANCELLED' }) });
    const outcome = await store.close('sar_NEW', 'CANCELLED', {
      partnerId: 'partner-1',
      reason: 'CancelledByPartner',
    });
    expect(outcome).toMatchObject({ won: true, request: { status: 'CANCELLED' } });
    expect(documents).toHaveReceivedCommandWith(UpdateCommand, {
      ConditionExpression: '#status = :pending AND partnerId = :partnerId',
      ExpressionAttributeNames: { '#status': 'status', '#timestamp': 'closedAt' },
      ExpressionAttributeValues: expect.objectContaining({
        ':pending': 'PENDING_ACTIVATION',
        ':to': 'CANCELLED',
        ':partnerId': 'partner-1',
        ':change': [{ status: 'CANCELLED', at: NOW.toISOString() }],
      }),
    });
  });

  it('records activation time in activatedAt', async () => {
    documents.on(UpdateCommand).resolves({ Attributes: request({ status: 'ACTIVE' }) });
    await store.close('sar_NEW', 'ACTIVE');
    expect(documents).toHaveReceivedCommandWith(UpdateCommand, {
      ExpressionAttributeNames: { '#status': 'status', '#timestamp': 'activatedAt' },
    });
  });

  it('reports the winner when another change came first', async () => {
    documents.on(UpdateCommand).rejects(conditionFailed());
    documents.on(GetCommand).resolves({ Item: request({ status: 'ACTIVE' }) });
    expect(await store.close('sar_NEW', 'EXPIRED')).toMatchObject({
      won: false,
      request: { status: 'ACTIVE' },
    });
  });

  it("hides another partner's request behind undefined", async () => {
    documents.on(UpdateCommand).rejects(conditionFailed());
    documents.on(GetCommand).resolves({ Item: request({ partnerId: 'partner-2' }) });
    expect(await store.close('sar_NEW', 'CANCELLED', { partnerId: 'partner-1' })).toBeUndefined();
  });

  it('never returns internal key attributes in a request', async () => {
    documents.on(GetCommand).resolves({
      Item: {
        ...request(),
        PK: 'REQUEST#sar_NEW',
        SK: 'REQUEST',
        GSI1PK: 'x',
        GSI1SK: 'y',
        entity: 'REQUEST',
      },
    });
    const found = await store.get('sar_NEW');
    expect(found).toEqual(request());
  });
});

describe('listing', () => {
  it('queries the partner index newest first and returns an opaque cursor', async () => {
    const items = [1, 2, 3].map((n) => ({
      ...request({ id: `sar_${n}` }),
      PK: `REQUEST#sar_${n}`,
      SK: 'REQUEST',
      GSI1PK: 'PARTNER#partner-1',
      GSI1SK: `t${n}`,
    }));
    documents.on(QueryCommand).resolves({ Items: items });
    const page = await store.listByPartner('partner-1', { limit: 2 });
    expect(page.items.map((item) => item.id)).toEqual(['sar_1', 'sar_2']);
    expect(documents).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: 'GSI1',
      ScanIndexForward: false,
      ExpressionAttributeValues: { ':pk': 'PARTNER#partner-1' },
    });
    const cursor = JSON.parse(Buffer.from(page.nextCursor as string, 'base64url').toString());
    expect(cursor).toEqual({
      PK: 'REQUEST#sar_2',
      SK: 'REQUEST',
      GSI1PK: 'PARTNER#partner-1',
      GSI1SK: 't2',
    });

    documents.reset();
    documents.on(QueryCommand).resolves({ Items: items.slice(2) });
    const next = await store.listByPartner('partner-1', {
      limit: 2,
      cursor: page.nextCursor as string,
    });
    expect(next).toEqual({ items: [request({ id: 'sar_3' })], nextCursor: null });
    expect(documents).toHaveReceivedCommandWith(QueryCommand, { ExclusiveStartKey: cursor });
  });

  it("refuses a cursor pointing into another partner's list", async () => {
    const foreign = Buffer.from(
      JSON.stringify({ PK: 'REQUEST#x', SK: 'REQUEST', GSI1PK: 'PARTNER#partner-2', GSI1SK: 't' }),
    ).toString('base64url');
    await expect(
      store.listByPartner('partner-1', { limit: 5, cursor: foreign }),
    ).rejects.toBeInstanceOf(ValidationFailed);
    expect(documents).not.toHaveReceivedCommand(QueryCommand);
  });
});
