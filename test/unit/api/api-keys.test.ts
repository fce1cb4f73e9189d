import { APIGatewayClient, FlushStageAuthorizersCacheCommand } from '@aws-sdk/client-api-gateway';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayRequestAuthorizerEvent,
  Context,
} from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { sha256 } from '../../../functions/shared/crypto.ts';

/**
 * The API key handlers and the authorizer as API Gateway invokes them, with DynamoDB and API
 * Gateway's management API mocked at the SDK boundary.
 */

const documents = mockClient(DynamoDBDocumentClient);
const gateway = mockClient(APIGatewayClient);

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
let createKey: Handler;
let listKeys: Handler;
let revokeKey: Handler;
let authorize: (event: APIGatewayRequestAuthorizerEvent, context: Context) => Promise<unknown>;

beforeAll(async () => {
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('TABLE_NAME', 'requests');
  vi.stubEnv('REST_API_ID', 'a1b2c3d4e5');
  vi.stubEnv('STAGE_NAME', 'prod');
  ({ handler: createKey } = await import('../../../functions/api/api-keys/create-key.ts'));
  ({ handler: listKeys } = await import('../../../functions/api/api-keys/list-keys.ts'));
  ({ handler: revokeKey } = await import('../../../functions/api/api-keys/revoke-key.ts'));
  ({ handler: authorize } = await import('../../../functions/api/authorize-partner.ts'));
});

afterAll(() => {
  vi.unstubAllEnvs();
  // mockClient patches the class for every instance: give it back to the files after this one.
  documents.restore();
  gateway.restore();
});

beforeEach(() => {
  documents.reset();
  gateway.reset();
});

const KEY_ID = 'key_01KBXQ5ZC0YJ3S5V3W0T8N2M4P';
const OTHER_KEY_ID = 'key_01KBXQ5ZC0YJ3S5V3W0T8N2M4Q';
const PROFILE = { PK: 'PARTNER#partner-1', SK: 'PROFILE' };
const conditionFailed = () =>
  Object.assign(new Error('The conditional request failed'), {
    name: 'ConditionalCheckFailedException',
  });

const event = (overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent =>
  ({
    httpMethod: 'POST',
    resource: '/v1/api-keys',
    path: '/v1/api-keys',
    headers: { 'Content-Type': 'application/json' },
    queryStringParameters: null,
    pathParameters: null,
    body: JSON.stringify({ label: 'CRM integration' }),
    isBase64Encoded: false,
    requestContext: { authorizer: { partnerId: 'partner-1', partnerName: 'Partner One' } },
    ...overrides,
  }) as unknown as APIGatewayProxyEvent;

const revoking = (id: string) =>
  event({
    httpMethod: 'DELETE',
    pathParameters: { id },
    body: null,
    resource: '/v1/api-keys/{id}',
  });

const context = {
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

const parsed = (response: APIGatewayProxyResult) => JSON.parse(response.body);

describe('POST /v1/api-keys', () => {
  it('answers 201 with the key, the one time it is shown, and stores only its hash', async () => {
    documents.on(PutCommand).resolves({});
    documents.on(UpdateCommand).resolves({ Attributes: {} });

    const response = await createKey(
      event({ body: JSON.stringify({ label: '  CRM  ' }) }),
      context,
    );

    expect(response.statusCode).toBe(201);
    const body = parsed(response);
    expect(body).toEqual({
      id: expect.stringMatching(/^key_[0-9A-HJKMNP-TV-Z]{26}$/),
      label: 'CRM',
      prefix: body.key.slice(0, 8),
      createdAt: expect.any(String),
      key: expect.stringMatching(/^sak_[A-Za-z0-9_-]{43}$/),
    });
    const written = documents.commandCalls(PutCommand).map((call) => call.args[0].input.Item);
    expect(written.map((item) => [item?.PK, item?.SK])).toEqual([
      [`APIKEY#${sha256(body.key)}`, 'APIKEY'],
      ['PARTNER#partner-1', `APIKEY#${body.id}`],
    ]);
    expect(JSON.stringify(written)).not.toContain(body.key);
    expect(documents).toHaveReceivedCommandWith(UpdateCommand, {
      Key: PROFILE,
      UpdateExpression: 'ADD #keyIds :ids',
      ExpressionAttributeValues: expect.objectContaining({ ':max': 5, ':id': body.id }),
    });
  });

  it('answers 409 at the limit and deletes the items it wrote', async () => {
    documents.on(PutCommand).resolves({});
    documents.on(UpdateCommand).rejects(conditionFailed());
    documents.on(DeleteCommand).resolves({});

    const response = await createKey(event(), context);

    expect(response.statusCode).toBe(409);
    expect(response.headers?.['Content-Type']).toBe('application/problem+json');
    expect(parsed(response)).toMatchObject({
      title: 'API key limit reached',
      detail: expect.stringMatching(/5 API keys/),
      errorId: expect.stringMatching(/^err_/),
    });
    const deleted = documents.commandCalls(DeleteCommand).map((call) => call.args[0].input.Key);
    const put = documents.commandCalls(PutCommand).map((call) => call.args[0].input.Item);
    expect(deleted).toEqual(put.map((item) => ({ PK: item?.PK, SK: item?.SK })));
  });

  describe('when the set write ends in an error that may hide a landed write', () => {
    const ADD = { Key: PROFILE, UpdateExpression: 'ADD #keyIds :ids' };
    const TAKE_BACK = { Key: PROFILE, UpdateExpression: 'DELETE #keyIds :ids' };
    // What the SDK throws when its last attempt gets no reply: the write may have landed.
    const timedOut = () =>
      Object.assign(new Error('Connection timed out after 2000 ms'), { name: 'TimeoutError' });
    /** The id the create tried to add, as its set write named it. */
    const addedId = () => {
      const [add] = documents.commandCalls(UpdateCommand, ADD);
      return add?.args[0].input.ExpressionAttributeValues?.[':id'];
    };

    beforeEach(() => {
      documents.on(PutCommand).resolves({});
      documents.on(UpdateCommand, ADD).rejects(timedOut());
      documents.on(DeleteCommand).resolves({});
    });

    it('answers 503, takes the id out of the set as a revoke would, then deletes the items', async () => {
      documents.on(UpdateCommand, TAKE_BACK).resolves({ Attributes: {} });

      const response = await createKey(event(), context);

      expect(response.statusCode).toBe(503);
      const id = addedId();
      expect(id).toMatch(/^key_/);
      expect(documents).toHaveReceivedCommandWith(UpdateCommand, {
        ...TAKE_BACK,
        ConditionExpression: 'contains(#keyIds, :id) AND size(#keyIds) > :one',
        ExpressionAttributeValues: { ':id': id, ':one': 1, ':ids': new Set([id]) },
      });
      const deleted = documents.commandCalls(DeleteCommand).map((call) => call.args[0].input.Key);
      const put = documents.commandCalls(PutCommand).map((call) => call.args[0].input.Item);
      expect(deleted).toEqual(put.map((item) => ({ PK: item?.PK, SK: item?.SK })));
      // The id leaves the set before the items go: never an id in the set without its items.
      const [takenBack] = documents.commandCalls(UpdateCommand, TAKE_BACK);
      for (const deletion of documents.commandCalls(DeleteCommand)) {
        expect(takenBack?.calledBefore(deletion)).toBe(true);
      }
    });

    it('deletes the items when the write did not land (the id is not in the set)', async () => {
      documents.on(UpdateCommand, TAKE_BACK).rejects(conditionFailed());
      documents.on(GetCommand, { Key: PROFILE }).resolves({
        Item: { ...PROFILE, keyIds: new Set([KEY_ID]) },
      });

      expect((await createKey(event(), context)).statusCode).toBe(503);

      expect(documents).toHaveReceivedCommandWith(GetCommand, {
        Key: PROFILE,
        ConsistentRead: true,
      });
      expect(documents).toHaveReceivedCommandTimes(DeleteCommand, 2);
    });

    it('keeps the key whole when a revoke in between left it the partner’s only one', async () => {
      documents.on(UpdateCommand, TAKE_BACK).rejects(conditionFailed());
      documents.on(GetCommand, { Key: PROFILE }).callsFake(() => ({
        Item: { ...PROFILE, keyIds: new Set([addedId()]) },
      }));

      expect((await createKey(event(), context)).statusCode).toBe(503);

      // Valid and listed, revocable once the partner has another: not an id without items.
      expect(documents).not.toHaveReceivedCommand(DeleteCommand);
    });

    it('keeps the items when taking the id back fails too', async () => {
      documents.on(UpdateCommand, TAKE_BACK).rejects(timedOut());

      expect((await createKey(event(), context)).statusCode).toBe(503);

      expect(documents).not.toHaveReceivedCommand(DeleteCommand);
    });
  });

  it.each([
    ['400 for a missing label', { body: '{}' }, 400],
    ['400 for a label with a line break', { body: '{"label":"a\\nb"}' }, 400],
    ['400 for an unknown field', { body: '{"label":"a","key":"sak_mine"}' }, 400],
    ['400 for broken JSON', { body: '{' }, 400],
    ['415 for a body that is not JSON', { headers: { 'Content-Type': 'text/plain' } }, 415],
    ['413 for a body over 64 KiB', { body: JSON.stringify({ label: 'x'.repeat(70_000) }) }, 413],
  ])('answers %s and writes nothing', async (_name, overrides, status) => {
    const response = await createKey(event(overrides), context);

    expect(response.statusCode).toBe(status);
    expect(parsed(response)).toMatchObject({ status, errorId: expect.stringMatching(/^err_/) });
    expect(documents.calls()).toHaveLength(0);
  });
});

describe('GET /v1/api-keys', () => {
  it("lists the caller's valid keys with lastUsedAt from their lookup items, never a hash", async () => {
    documents.on(QueryCommand).resolves({
      Items: [
        {
          keyId: KEY_ID,
          partnerId: 'partner-1',
          label: 'CRM',
          prefix: 'sak_abcd',
          createdAt: '2026-12-01T10:00:00.000Z',
          keyHash: 'hash-1',
        },
        {
          keyId: OTHER_KEY_ID,
          partnerId: 'partner-1',
          label: 'Half made',
          prefix: 'sak_efgh',
          createdAt: '2026-12-01T11:00:00.000Z',
          keyHash: 'hash-2',
        },
      ],
    });
    documents.on(GetCommand).resolves({ Item: { ...PROFILE, keyIds: new Set([KEY_ID]) } });
    documents.on(BatchGetCommand).resolves({
      Responses: { requests: [{ PK: 'APIKEY#hash-1', lastUsedAt: '2026-12-02T09:00:00.000Z' }] },
    });

    const response = await listKeys(event({ httpMethod: 'GET', body: null }), context);

    expect(response.statusCode).toBe(200);
    expect(parsed(response)).toEqual({
      items: [
        {
          id: KEY_ID,
          label: 'CRM',
          prefix: 'sak_abcd',
          createdAt: '2026-12-01T10:00:00.000Z',
          lastUsedAt: '2026-12-02T09:00:00.000Z',
        },
      ],
    });
    expect(documents).toHaveReceivedCommandWith(QueryCommand, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': 'PARTNER#partner-1', ':prefix': 'APIKEY#' },
    });
    expect(documents).toHaveReceivedCommandWith(BatchGetCommand, {
      RequestItems: {
        requests: expect.objectContaining({ Keys: [{ PK: 'APIKEY#hash-1', SK: 'APIKEY' }] }),
      },
    });
  });
});

describe('DELETE /v1/api-keys/{id}', () => {
  it('removes the id from the set, flushes the stage’s authorizer cache, then deletes the items', async () => {
    documents.on(UpdateCommand).resolves({ Attributes: {} });
    documents.on(GetCommand).resolves({
      Item: { PK: 'PARTNER#partner-1', SK: `APIKEY#${KEY_ID}`, keyHash: 'hash-1' },
    });
    documents.on(DeleteCommand).resolves({});
    gateway.on(FlushStageAuthorizersCacheCommand).resolves({});

    const response = await revokeKey(revoking(KEY_ID), context);

    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expect(gateway).toHaveReceivedCommandTimes(FlushStageAuthorizersCacheCommand, 2);
    expect(gateway).toHaveReceivedCommandWith(FlushStageAuthorizersCacheCommand, {
      restApiId: 'a1b2c3d4e5',
      stageName: 'prod',
    });
    expect(documents).toHaveReceivedCommandWith(UpdateCommand, {
      Key: PROFILE,
      ConditionExpression: 'contains(#keyIds, :id) AND size(#keyIds) > :one',
      UpdateExpression: 'DELETE #keyIds :ids',
    });
    expect(documents.commandCalls(DeleteCommand).map((call) => call.args[0].input.Key)).toEqual([
      { PK: 'APIKEY#hash-1', SK: 'APIKEY' },
      { PK: 'PARTNER#partner-1', SK: `APIKEY#${KEY_ID}` },
    ]);
    // In that order: the decision, the flush, the deletes, the flush again.
    const [decided] = documents.commandCalls(UpdateCommand);
    const [flushed, flushedAgain] = gateway.commandCalls(FlushStageAuthorizersCacheCommand);
    const deletes = documents.commandCalls(DeleteCommand);
    if (!decided || !flushed || !flushedAgain || deletes.length === 0) {
      throw new Error('a call is missing');
    }
    expect(decided.calledBefore(flushed)).toBe(true);
    for (const deleted of deletes) {
      expect(flushed.calledBefore(deleted)).toBe(true);
      expect(deleted.calledBefore(flushedAgain)).toBe(true);
    }
  });

  it('answers 409 for the partner’s last key, and flushes nothing', async () => {
    documents.on(UpdateCommand).rejects(conditionFailed());
    documents
      .on(GetCommand, { Key: PROFILE })
      .resolves({ Item: { ...PROFILE, keyIds: new Set([KEY_ID]) } });

    const response = await revokeKey(revoking(KEY_ID), context);

    expect(response.statusCode).toBe(409);
    expect(parsed(response)).toMatchObject({ title: 'Last API key', errorId: expect.any(String) });
    expect(gateway).not.toHaveReceivedCommand(FlushStageAuthorizersCacheCommand);
    expect(documents).not.toHaveReceivedCommand(DeleteCommand);
  });

  it('answers 404 for an id that is not one of the caller’s keys', async () => {
    documents.on(UpdateCommand).rejects(conditionFailed());
    documents
      .on(GetCommand, { Key: PROFILE })
      .resolves({ Item: { ...PROFILE, keyIds: new Set([KEY_ID]) } });
    documents
      .on(GetCommand, { Key: { PK: 'PARTNER#partner-1', SK: `APIKEY#${OTHER_KEY_ID}` } })
      .resolves({});

    const response = await revokeKey(revoking(OTHER_KEY_ID), context);

    expect(response.statusCode).toBe(404);
    expect(gateway).not.toHaveReceivedCommand(FlushStageAuthorizersCacheCommand);
  });

  it('answers 404 without a table read for an id that is no key id', async () => {
    for (const id of ['sar_01KBXQ5ZC0YJ3S5V3W0T8N2M4P', 'key_short', 'x'.repeat(3000)]) {
      expect((await revokeKey(revoking(id), context)).statusCode).toBe(404);
    }
    expect(documents.calls()).toHaveLength(0);
  });

  it('answers 503 with Retry-After when the flush fails, and keeps the items for the retry', async () => {
    documents.on(UpdateCommand).resolves({ Attributes: {} });
    gateway
      .on(FlushStageAuthorizersCacheCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));

    const response = await revokeKey(revoking(KEY_ID), context);

    expect(response.statusCode).toBe(503);
    expect(response.headers?.['Retry-After']).toBe('2');
    expect(documents).not.toHaveReceivedCommand(DeleteCommand);
  });
});

describe('the authorizer', () => {
  const KEY = 'sak_unit_test_key_00000000000000000000000000000';
  const authorizerEvent = (authorization: string) =>
    ({
      type: 'REQUEST',
      methodArn: 'arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/prod/GET/v1/api-keys',
      headers: { Authorization: authorization },
    }) as unknown as APIGatewayRequestAuthorizerEvent;
  const lookupKey = { PK: `APIKEY#${sha256(KEY)}`, SK: 'APIKEY' };

  it('allows a key in its partner’s set, reading both consistently, and records the first use', async () => {
    documents.on(GetCommand, { Key: lookupKey }).resolves({
      Item: { ...lookupKey, partnerId: 'partner-1', keyId: KEY_ID },
    });
    documents.on(GetCommand, { Key: PROFILE }).resolves({
      Item: { ...PROFILE, name: 'Partner One', keyIds: new Set([KEY_ID]) },
    });
    documents.on(UpdateCommand).resolves({ Attributes: {} });

    const result = await authorize(authorizerEvent(`Bearer ${KEY}`), context);

    expect(result).toMatchObject({
      principalId: 'partner-1',
      context: { partnerId: 'partner-1', partnerName: 'Partner One' },
    });
    for (const call of documents.commandCalls(GetCommand)) {
      expect(call.args[0].input.ConsistentRead).toBe(true);
    }
    expect(documents).toHaveReceivedCommandWith(UpdateCommand, {
      Key: lookupKey,
      ConditionExpression:
        'attribute_exists(PK) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :notBefore)',
    });
  });

  it('writes nothing when the recorded use is less than an hour old', async () => {
    documents.on(GetCommand, { Key: lookupKey }).resolves({
      Item: {
        ...lookupKey,
        partnerId: 'partner-1',
        keyId: KEY_ID,
        lastUsedAt: new Date().toISOString(),
      },
    });
    documents.on(GetCommand, { Key: PROFILE }).resolves({
      Item: { ...PROFILE, name: 'Partner One', keyIds: new Set([KEY_ID]) },
    });

    await authorize(authorizerEvent(`Bearer ${KEY}`), context);

    expect(documents).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('allows the key when recording its use fails', async () => {
    documents.on(GetCommand, { Key: lookupKey }).resolves({
      Item: { ...lookupKey, partnerId: 'partner-1', keyId: KEY_ID },
    });
    documents.on(GetCommand, { Key: PROFILE }).resolves({
      Item: { ...PROFILE, name: 'Partner One', keyIds: new Set([KEY_ID]) },
    });
    documents
      .on(UpdateCommand)
      .rejects(
        Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' }),
      );

    await expect(authorize(authorizerEvent(`Bearer ${KEY}`), context)).resolves.toMatchObject({
      principalId: 'partner-1',
    });
  });

  it('refuses a key whose id is not in the set (revoked, or a revoke halfway)', async () => {
    documents.on(GetCommand, { Key: lookupKey }).resolves({
      Item: { ...lookupKey, partnerId: 'partner-1', keyId: KEY_ID },
    });
    documents.on(GetCommand, { Key: PROFILE }).resolves({
      Item: { ...PROFILE, name: 'Partner One', keyIds: new Set([OTHER_KEY_ID]) },
    });

    await expect(authorize(authorizerEvent(`Bearer ${KEY}`), context)).rejects.toThrow(
      'Unauthorized',
    );
    expect(documents).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('refuses a malformed header without reading the table', async () => {
    for (const header of ['', 'Basic dXNlcjpwYXNz', 'Bearer short', `Bearer ${'x'.repeat(300)}`]) {
      await expect(authorize(authorizerEvent(header), context)).rejects.toThrow('Unauthorized');
    }
    expect(documents.calls()).toHaveLength(0);
  });
});
