import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
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
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { requestItem } from '../../../functions/adapters/request-items.ts';
import type { SmartAccountRequest } from '../../../functions/domain/smart-account-request.ts';
import { sha256 } from '../../../functions/shared/crypto.ts';
import { RequestStatus } from '../../../functions/shared/status.ts';
import { lambdaContext } from '../../../local/lambda-context.ts';
import { aRequest } from '../../support/in-memory-stores.ts';

/**
 * The business metrics as CloudWatch receives them: EMF records on stdout, driven through the
 * real handlers with the SDK mocked at its boundary.
 */
const documents = mockClient(DynamoDBDocumentClient);
const stepFunctions = mockClient(SFNClient);
const eventBridge = mockClient(EventBridgeClient);
const ses = mockClient(SESv2Client);

type Handler<E = unknown, R = unknown> = (event: E, context: Context) => Promise<R>;
let createRequest: Handler<APIGatewayProxyEvent, APIGatewayProxyResult>;
let resendActivation: Handler<APIGatewayProxyEvent, APIGatewayProxyResult>;
let settleRequest: Handler;
let sendActivation: Handler;
let closeRequest: Handler;

beforeAll(async () => {
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('TABLE_NAME', 'requests');
  vi.stubEnv('STATE_MACHINE_ARN', 'arn:aws:states:eu-west-1:123456789012:stateMachine:sar');
  vi.stubEnv('PUBLIC_BASE_URL', 'https://accounts.example');
  vi.stubEnv('EVENT_BUS_NAME', 'events');
  vi.stubEnv(
    'DELIVERY_STATE_MACHINE_ARN',
    'arn:aws:states:eu-west-1:123456789012:stateMachine:delivery',
  );
  vi.stubEnv('SENDER_EMAIL', 'no-reply@accounts.example');
  vi.stubEnv('ACTIVATION_SECRET', 'unit-test-secret');
  // Each module builds its clients and its metrics on import, as a Lambda container does.
  ({ handler: createRequest } = await import('../../../functions/api/create-request.ts'));
  ({ handler: resendActivation } = await import('../../../functions/api/resend-activation.ts'));
  ({ handler: settleRequest } = await import('../../../functions/workflow/settle-request.ts'));
  ({ handler: sendActivation } = await import('../../../functions/workflow/send-activation.ts'));
  ({ handler: closeRequest } = await import('../../../functions/workflow/close-request.ts'));
});

/** Every JSON line written to stdout and stderr: EMF records and log lines. */
let written: Record<string, unknown>[] = [];

beforeEach(() => {
  documents.reset();
  stepFunctions.reset();
  ses.reset();
  written = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      for (const line of String(chunk).split('\n')) {
        if (line.startsWith('{')) written.push(JSON.parse(line));
      }
      return true;
    });
  }
});

afterEach(() => {
  vi.restoreAllMocks();
});

interface Emf {
  readonly _aws: {
    readonly CloudWatchMetrics: {
      readonly Namespace: string;
      readonly Dimensions: string[][];
      readonly Metrics: { readonly Name: string; readonly Unit: string }[];
    }[];
  };
  readonly [field: string]: unknown;
}

const emfRecords = (): Emf[] => written.filter((line): line is Emf => '_aws' in line);

/** Each recorded metric as `name=value` with its dimensions, e.g. `RequestSettled=1 service=… status=ACTIVE`. */
const recorded = (): string[] =>
  emfRecords().flatMap((record) =>
    record._aws.CloudWatchMetrics.flatMap((directive) => {
      expect(directive.Namespace).toBe('SmartAccountRequests');
      return directive.Metrics.map((metric) => {
        expect(metric.Unit).toBe('Count');
        const dimensions = (directive.Dimensions[0] ?? []).map(
          (name) => `${name}=${String(record[name])}`,
        );
        return [`${metric.Name}=${String(record[metric.Name])}`, ...dimensions].join(' ');
      });
    }),
  );

const SERVICE = 'service=smart-account-requests';

const apiEvent = (overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent =>
  ({
    httpMethod: 'POST',
    resource: '/v1/smart-account-requests',
    path: '/v1/smart-account-requests',
    headers: { 'Content-Type': 'application/json' },
    queryStringParameters: null,
    body: JSON.stringify({
      accountName: 'Acme BV',
      accountDomain: 'acme.example',
      customerEmail: 'it@acme.example',
    }),
    isBase64Encoded: false,
    requestContext: { authorizer: { partnerId: 'partner-1', partnerName: 'Partner One' } },
    ...overrides,
  }) as unknown as APIGatewayProxyEvent;

const stored = (request: SmartAccountRequest) => ({ Item: requestItem(request) });

describe('RequestCreated', () => {
  it('is recorded once for a created request', async () => {
    documents.on(PutCommand).resolves({});
    documents.on(QueryCommand).resolves({ Items: [] });
    documents.on(UpdateCommand).resolves({});
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
    stepFunctions.on(StartExecutionCommand).resolves({ executionArn: 'arn' });

    const response = await createRequest(apiEvent(), lambdaContext('api-create-request'));

    expect(response.statusCode).toBe(202);
    expect(recorded()).toEqual([`RequestCreated=1 ${SERVICE}`]);
  });

  it('is not recorded for a dry run or a refused request, and their flush warns of nothing', async () => {
    await createRequest(
      apiEvent({ queryStringParameters: { dryRun: 'true' } }),
      lambdaContext('api-create-request'),
    );
    await createRequest(apiEvent({ body: '{' }), lambdaContext('api-create-request'));

    expect(recorded()).toEqual([]);
    expect(written.filter((line) => line.level === 'WARN')).toEqual([]);
  });
});

describe('IdempotentReplay', () => {
  it('is recorded, instead of RequestCreated, when a known Idempotency-Key replays', async () => {
    const body = {
      accountName: 'Acme BV',
      accountDomain: 'acme.example',
      customerEmail: 'it@acme.example',
    };
    const { createRequestInput } = await import('../../../functions/domain/request-schema.ts');
    documents
      .on(PutCommand, { Item: { SK: 'IDEMPOTENCY' } })
      .rejects(Object.assign(new Error('exists'), { name: 'ConditionalCheckFailedException' }));
    documents.on(GetCommand).resolves({
      Item: {
        bodyHash: sha256(JSON.stringify(createRequestInput.parse(body))),
        state: 'COMPLETED',
        response: { statusCode: 202, headers: {}, body: '{"id":"sar_1"}' },
      },
    });

    const response = await createRequest(
      apiEvent({
        body: JSON.stringify(body),
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'k1' },
      }),
      lambdaContext('api-create-request'),
    );

    expect(response.headers?.['Idempotent-Replayed']).toBe('true');
    expect(recorded()).toEqual([`IdempotentReplay=1 ${SERVICE}`]);
  });
});

describe('ActivationEmailSent', () => {
  it('is recorded when the workflow mails the activation link', async () => {
    const request = aRequest();
    documents.on(GetCommand).resolves(stored(request));
    documents.on(PutCommand).resolves({});
    documents.on(UpdateCommand).resolves({
      Attributes: requestItem({ ...request, taskToken: 'token-1', codeNonce: 'nonce-1' }),
    });
    ses.on(SendEmailCommand).resolves({ MessageId: 'message-1' });

    await sendActivation(
      { requestId: request.id, taskToken: 'token-1', waitSeconds: 3600 },
      lambdaContext('workflow-send-activation'),
    );

    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
    expect(recorded()).toEqual([`ActivationEmailSent=1 ${SERVICE}`]);
  });

  it('is recorded when a partner’s resend mails it again', async () => {
    const request = aRequest({
      id: 'sar_01J0000000000000000000000A',
      taskToken: 'token-1',
      codeNonce: 'nonce-1',
      resendCount: 1,
    });
    documents.on(UpdateCommand).resolves({ Attributes: requestItem(request) });
    ses.on(SendEmailCommand).resolves({ MessageId: 'message-2' });

    const response = await resendActivation(
      apiEvent({
        resource: '/v1/smart-account-requests/{id}/resend',
        path: `/v1/smart-account-requests/${request.id}/resend`,
        pathParameters: { id: request.id },
        body: null,
        requestContext: {
          authorizer: { partnerId: request.partnerId, partnerName: request.partnerName },
        } as unknown as APIGatewayProxyEvent['requestContext'],
      }),
      lambdaContext('api-resend-activation'),
    );

    expect(response.statusCode).toBe(202);
    expect(recorded()).toEqual([`ActivationEmailSent=1 ${SERVICE}`]);
  });

  it('is not recorded when the mail could not be sent', async () => {
    const request = aRequest();
    documents.on(GetCommand).resolves(stored(request));
    documents.on(PutCommand).resolves({});
    documents.on(UpdateCommand).resolves({
      Attributes: requestItem({ ...request, taskToken: 'token-1', codeNonce: 'nonce-1' }),
    });
    ses
      .on(SendEmailCommand)
      .rejects(Object.assign(new Error('busy'), { name: 'TooManyRequestsException' }));

    await expect(
      sendActivation(
        { requestId: request.id, taskToken: 'token-1', waitSeconds: 3600 },
        lambdaContext('x'),
      ),
    ).rejects.toMatchObject({ name: 'EmailThrottled' });
    expect(recorded()).toEqual([]);
  });
});

describe('RequestSettled', () => {
  it.each([
    RequestStatus.ACTIVE,
    RequestStatus.DECLINED,
    RequestStatus.CANCELLED,
    RequestStatus.EXPIRED,
    RequestStatus.FAILED,
  ])('is recorded with status %s when that outcome is settled', async (status) => {
    // Its e-mails went out already, so Settle only reports the outcome (and counts it).
    documents.on(UpdateCommand).resolves({ Attributes: {} });
    documents.on(GetCommand).resolves(stored(aRequest({ status, notifiedStatus: status })));

    await expect(
      settleRequest({ requestId: 'sar_01TEST' }, lambdaContext('workflow-settle-request')),
    ).resolves.toEqual({ status });

    expect(recorded()).toEqual([`RequestSettled=1 ${SERVICE} status=${status}`]);
  });

  it('is not recorded for a request that is still pending', async () => {
    documents.on(GetCommand).resolves(stored(aRequest()));

    await settleRequest({ requestId: 'sar_01TEST' }, lambdaContext('workflow-settle-request'));

    expect(recorded()).toEqual([]);
  });

  it('is not recorded by the close step, which only decides the status', async () => {
    documents.on(UpdateCommand).resolves({
      Attributes: requestItem(aRequest({ status: RequestStatus.EXPIRED })),
    });
    documents.on(GetCommand).resolves(stored(aRequest({ status: RequestStatus.EXPIRED })));

    await closeRequest(
      { requestId: 'sar_01TEST', status: 'EXPIRED', reason: 'States.Timeout' },
      lambdaContext('workflow-close-request'),
    );

    expect(recorded()).toEqual([]);
  });
});
