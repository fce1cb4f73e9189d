import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * The webhook endpoint handlers as API Gateway invokes them, with DynamoDB mocked at the SDK
 * boundary and WEBHOOK_ALLOW_LOCAL unset, as on AWS. No test here reaches the network: the
 * refused hosts are IP literals or `localhost`, which the system resolver answers from
 * /etc/hosts.
 */

const documents = mockClient(DynamoDBDocumentClient);

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
let createEndpoint: Handler;
let deleteEndpoint: Handler;
let listDeliveries: Handler;

beforeAll(async () => {
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('TABLE_NAME', 'requests');
  vi.stubEnv('WEBHOOK_ALLOW_LOCAL', '');
  ({ handler: createEndpoint } = await import(
    '../../../functions/api/webhooks/create-endpoint.ts'
  ));
  ({ handler: deleteEndpoint } = await import(
    '../../../functions/api/webhooks/delete-endpoint.ts'
  ));
  ({ handler: listDeliveries } = await import(
    '../../../functions/api/webhooks/list-deliveries.ts'
  ));
});

afterAll(() => {
  vi.unstubAllEnvs();
  // mockClient patches the class for every instance: give it back to the files after this one.
  documents.restore();
});

beforeEach(() => {
  documents.reset();
});

const ENDPOINT_ID = 'whe_01KBXQ5ZC0YJ3S5V3W0T8N2M4P';

const event = (overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent =>
  ({
    httpMethod: 'POST',
    resource: '/v1/webhook-endpoints',
    path: '/v1/webhook-endpoints',
    headers: { 'Content-Type': 'application/json' },
    queryStringParameters: null,
    pathParameters: null,
    body: JSON.stringify({ url: 'https://hooks.partner.example/in' }),
    isBase64Encoded: false,
    requestContext: { authorizer: { partnerId: 'partner-1', partnerName: 'Partner One' } },
    ...overrides,
  }) as unknown as APIGatewayProxyEvent;

const context = {
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

const parsed = (response: APIGatewayProxyResult) => JSON.parse(response.body);
const withUrl = (url: string) => event({ body: JSON.stringify({ url }) });

describe('POST /v1/webhook-endpoints', () => {
  it('answers 201 with the endpoint and its secret, the one time the secret is shown', async () => {
    documents.on(UpdateCommand).resolves({ Attributes: {} });
    documents.on(PutCommand).resolves({});

    const response = await createEndpoint(
      event({
        body: JSON.stringify({
          url: 'https://93.184.215.14/hooks',
          events: ['smart_account_request.activated'],
          description: 'CRM',
        }),
      }),
      context,
    );

    expect(response.statusCode).toBe(201);
    const body = parsed(response);
    expect(body).toEqual({
      id: expect.stringMatching(/^whe_[0-9A-HJKMNP-TV-Z]{26}$/),
      url: 'https://93.184.215.14/hooks',
      events: ['smart_account_request.activated'],
      description: 'CRM',
      createdAt: expect.any(String),
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{32}$/),
    });
    const stored = documents.commandCalls(PutCommand)[0]?.args[0].input.Item;
    expect(stored).toMatchObject({
      PK: 'PARTNER#partner-1',
      SK: `ENDPOINT#${body.id}`,
      secrets: [{ secret: body.secret, expiresAt: null }],
    });
  });

  it.each([
    ['http://93.184.215.14/hooks', 'Use an https:// URL.'],
    ['https://127.0.0.1/hooks', expect.stringMatching(/loopback/)],
    ['https://[::1]:8443/hooks', expect.stringMatching(/loopback/)],
    ['https://localhost/hooks', expect.stringMatching(/loopback/)],
    ['https://169.254.169.254/latest/meta-data', expect.stringMatching(/link-local/)],
    ['https://10.0.0.7/hooks', expect.stringMatching(/private/)],
    ['https://[::ffff:127.0.0.1]/hooks', expect.stringMatching(/IPv4-mapped/)],
    ['https://user:pass@93.184.215.14/hooks', expect.stringMatching(/user name or password/)],
    ['not a url', 'Not a valid URL.'],
  ])(
    'refuses %s with a field error on url that says why, and stores nothing',
    async (url, message) => {
      const response = await createEndpoint(withUrl(url), context);

      expect(response.statusCode).toBe(400);
      expect(response.headers?.['Content-Type']).toBe('application/problem+json');
      expect(parsed(response)).toMatchObject({
        status: 400,
        errorId: expect.stringMatching(/^err_/),
        errors: [{ path: 'url', message }],
      });
      expect(documents.calls()).toHaveLength(0);
    },
  );

  it('refuses an unknown event type on its position in the list', async () => {
    const response = await createEndpoint(
      event({
        body: JSON.stringify({
          url: 'https://93.184.215.14/hooks',
          events: ['smart_account_request.created', 'request.everything'],
        }),
      }),
      context,
    );

    expect(response.statusCode).toBe(400);
    expect(parsed(response).errors).toEqual([
      { path: 'events.1', message: expect.stringMatching(/^Not an event type/) },
    ]);
    expect(documents.calls()).toHaveLength(0);
  });

  it('answers 409 when the partner has 10 endpoints already', async () => {
    const full = new Set(
      Array.from({ length: 10 }, (_, i) => `whe_${String(i).padStart(26, '0')}`),
    );
    documents
      .on(UpdateCommand)
      .rejects(Object.assign(new Error('full'), { name: 'ConditionalCheckFailedException' }));
    documents.on(GetCommand).resolves({ Item: { endpointIds: full } });
    documents.on(QueryCommand).resolves({
      Items: [...full].map((id) => ({ id, partnerId: 'partner-1', secrets: [] })),
    });

    const response = await createEndpoint(withUrl('https://93.184.215.14/hooks'), context);

    expect(response.statusCode).toBe(409);
    expect(parsed(response)).toMatchObject({
      title: 'Endpoint limit reached',
      detail: expect.stringMatching(/10 webhook endpoints/),
    });
    expect(documents).not.toHaveReceivedCommand(PutCommand);
  });

  it.each([
    ['415 for a body that is not JSON', { headers: { 'Content-Type': 'text/plain' } }, 415],
    ['400 for broken JSON', { body: '{' }, 400],
    ['400 for an unknown field', { body: '{"url":"https://a.example","secret":"x"}' }, 400],
  ])('answers %s', async (_name, overrides, status) => {
    const response = await createEndpoint(event(overrides), context);

    expect(response.statusCode).toBe(status);
    expect(documents.calls()).toHaveLength(0);
  });
});

describe('the endpoint routes with an {id}', () => {
  it('answers 404 without a table read for an id that is no endpoint id', async () => {
    for (const id of ['sar_01KBXQ5ZC0YJ3S5V3W0T8N2M4P', 'whe_short', 'x'.repeat(3000)]) {
      const response = await deleteEndpoint(
        event({ httpMethod: 'DELETE', pathParameters: { id }, body: null }),
        context,
      );
      expect(response.statusCode).toBe(404);
    }
    expect(documents.calls()).toHaveLength(0);
  });

  it('answers 204 with no body for a delete', async () => {
    documents.on(DeleteCommand).resolves({});
    documents.on(UpdateCommand).resolves({ Attributes: {} });

    const response = await deleteEndpoint(
      event({ httpMethod: 'DELETE', pathParameters: { id: ENDPOINT_ID }, body: null }),
      context,
    );

    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expect(documents).toHaveReceivedCommandWith(DeleteCommand, {
      Key: { PK: 'PARTNER#partner-1', SK: `ENDPOINT#${ENDPOINT_ID}` },
    });
  });

  it('answers 400 for a deliveries cursor the list did not make', async () => {
    documents.on(GetCommand).resolves({
      Item: { id: ENDPOINT_ID, partnerId: 'partner-1', secrets: [] },
    });

    const response = await listDeliveries(
      event({
        httpMethod: 'GET',
        pathParameters: { id: ENDPOINT_ID },
        queryStringParameters: { cursor: 'bm90LWEtY3Vyc29y' },
        body: null,
      }),
      context,
    );

    expect(response.statusCode).toBe(400);
    expect(parsed(response).errors).toEqual([
      { path: 'cursor', message: 'Not a cursor this list returned.' },
    ]);
    expect(documents).not.toHaveReceivedCommand(QueryCommand);
  });
});
