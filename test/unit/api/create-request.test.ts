import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

const documents = mockClient(DynamoDBDocumentClient);
const stepFunctions = mockClient(SFNClient);
const eventBridge = mockClient(EventBridgeClient);

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
let handler: Handler;

beforeAll(async () => {
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    TABLE_NAME: 'requests',
    STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:sar',
    PUBLIC_BASE_URL: 'https://api.example/prod',
    EVENT_BUS_NAME: 'events',
    DELIVERY_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:delivery',
    AWS_LAMBDA_LOG_LEVEL: 'INFO',
  });
  ({ handler } = await import('../../../functions/api/create-request.ts'));
});

beforeEach(() => {
  documents.reset();
  stepFunctions.reset();
  eventBridge.reset();
  // The created event: published from the create's own write, to no webhook endpoint.
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
  documents.on(QueryCommand).resolves({ Items: [] });
  documents.on(UpdateCommand).resolves({});
});

const body = {
  accountName: 'Acme BV',
  accountDomain: 'ACME.example',
  customerEmail: 'it@acme.example',
};

const event = (overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent =>
  ({
    httpMethod: 'POST',
    resource: '/v1/smart-account-requests',
    path: '/v1/smart-account-requests',
    headers: { 'Content-Type': 'application/json' },
    queryStringParameters: null,
    body: JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: { authorizer: { partnerId: 'partner-1', partnerName: 'Partner One' } },
    ...overrides,
  }) as unknown as APIGatewayProxyEvent;

const context = {
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

const parsed = (response: APIGatewayProxyResult) => JSON.parse(response.body);

describe('POST /v1/smart-account-requests', () => {
  it('stores the request and starts its execution named after the request id', async () => {
    documents.on(PutCommand).resolves({});
    stepFunctions.on(StartExecutionCommand).resolves({ executionArn: 'arn' });
    const response = await handler(event(), context);
    expect(response.statusCode).toBe(202);
    const resource = parsed(response);
    expect(resource).toMatchObject({ status: 'PENDING_ACTIVATION', accountDomain: 'acme.example' });
    expect(response.headers?.Location).toBe(
      `https://api.example/prod/v1/smart-account-requests/${resource.id}`,
    );
    expect(stepFunctions).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:sar',
      name: resource.id,
      input: JSON.stringify({ requestId: resource.id }),
    });
    // The domain lock, the request, and its created event's timeline item.
    const puts = documents
      .commandCalls(PutCommand)
      .map((call) => String(call.args[0].input.Item?.SK).replace(/^EVENT#.*/, 'EVENT'));
    expect(puts.sort()).toEqual(['EVENT', 'LOCK', 'REQUEST']);
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    const [entry] = eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries ?? [];
    expect(entry).toMatchObject({
      Source: 'smart-account-requests',
      DetailType: 'smart_account_request.created',
      EventBusName: 'events',
    });
    expect(JSON.parse(entry?.Detail ?? '{}').data.id).toBe(resource.id);
  });

  it('answers 503 with Retry-After and fails the stored request when the execution cannot start', async () => {
    documents.on(PutCommand).resolves({});
    documents.on(UpdateCommand).resolves({ Attributes: {} });
    stepFunctions
      .on(StartExecutionCommand)
      .rejects(Object.assign(new Error('limit'), { name: 'ExecutionLimitExceeded' }));
    const response = await handler(event(), context);
    expect(response.statusCode).toBe(503);
    expect(response.headers?.['Retry-After']).toBe('2');
    expect(documents).toHaveReceivedCommandWith(UpdateCommand, {
      ConditionExpression: '#status = :pending AND partnerId = :partnerId',
      ExpressionAttributeValues: expect.objectContaining({
        ':to': 'FAILED',
        ':reason': 'ExecutionNotStarted',
      }),
    });
  });

  it('answers 503 and starts nothing when DynamoDB throttles', async () => {
    documents
      .on(PutCommand)
      .rejects(
        Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' }),
      );
    const response = await handler(event(), context);
    expect(response.statusCode).toBe(503);
    expect(response.headers?.['Retry-After']).toBe('1');
    expect(stepFunctions).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('answers a dry run with the normalized request and touches nothing', async () => {
    const response = await handler(event({ queryStringParameters: { dryRun: 'true' } }), context);
    expect(response.statusCode).toBe(200);
    expect(parsed(response)).toMatchObject({ id: null, accountDomain: 'acme.example' });
    expect(documents.calls()).toHaveLength(0);
    expect(stepFunctions.calls()).toHaveLength(0);
  });

  it.each([
    ['415 for a form body', { headers: { 'Content-Type': 'text/plain' } }, 415],
    ['413 for a body over 64 KiB', { body: 'x'.repeat(64 * 1024 + 1) }, 413],
    ['400 for broken JSON', { body: '{' }, 400],
    ['401 without an authorizer context', { requestContext: {} }, 401],
  ])('answers %s before any AWS call', async (_case, overrides, status) => {
    const response = await handler(event(overrides as Partial<APIGatewayProxyEvent>), context);
    expect(response.statusCode).toBe(status);
    expect(response.headers?.['Content-Type']).toBe('application/problem+json');
    expect(parsed(response).errorId).toMatch(/^err_/);
    expect(documents.calls()).toHaveLength(0);
  });

  it('logs the errorId it returns, so support can find the log line', async () => {
    documents.on(PutCommand).rejects(new Error('boom'));
    const lines: string[] = [];
    const capture = (...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    };
    const spies = (['log', 'info', 'warn', 'error'] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation(capture),
    );
    const streams = [process.stdout, process.stderr].map((stream) =>
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        lines.push(String(chunk));
        return true;
      }),
    );
    const response = await handler(event(), context);
    for (const spy of [...spies, ...streams]) spy.mockRestore();
    expect(response.statusCode).toBe(500);
    const { errorId } = parsed(response);
    expect(lines.join('')).toContain(errorId);
  });

  it('replays the stored response for a repeated Idempotency-Key', async () => {
    const stored = { statusCode: 202, headers: { Location: 'x' }, body: '{"id":"sar_1"}' };
    documents
      .on(PutCommand, { Item: { SK: 'IDEMPOTENCY' } })
      .rejects(Object.assign(new Error('exists'), { name: 'ConditionalCheckFailedException' }));
    const { sha256 } = await import('../../../functions/shared/crypto.ts');
    const { createRequestInput } = await import('../../../functions/domain/request-schema.ts');
    documents.on(GetCommand).resolves({
      Item: {
        bodyHash: sha256(JSON.stringify(createRequestInput.parse(body))),
        state: 'COMPLETED',
        response: stored,
      },
    });
    const response = await handler(
      event({ headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'k1' } }),
      context,
    );
    expect(response).toMatchObject({ statusCode: 202, body: stored.body });
    expect(response.headers?.['Idempotent-Replayed']).toBe('true');
    expect(stepFunctions).not.toHaveReceivedCommand(StartExecutionCommand);
  });
});
