import { describe, expect, it } from 'vitest';
import { handler } from '../../../functions/api/openapi.ts';
import { openApiDocument } from '../../../functions/api/openapi-document.ts';
import { smartAccountRequestResource } from '../../../functions/domain/resource-schemas.ts';
import { lambdaContext } from '../../../local/lambda-context.ts';

const document = openApiDocument();
const requests = document.paths['/v1/smart-account-requests'];

const { schemas } = document.components;

const parameter = <P extends { name: string }>(parameters: readonly P[], name: string) =>
  parameters.find((candidate) => candidate.name === name);

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with every operation named and summarized', () => {
    expect(document.openapi).toBe('3.1.0');
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
    expect(operations.length).toBeGreaterThanOrEqual(7);
    for (const operation of operations) {
      expect(operation).toMatchObject({
        operationId: expect.any(String),
        summary: expect.any(String),
      });
    }
  });

  it('documents the create query and headers from their schemas', () => {
    expect(requests.post.parameters).toEqual([
      expect.objectContaining({
        name: 'dryRun',
        in: 'query',
        required: false,
        schema: { type: 'string', enum: ['true', 'false'] },
      }),
      expect.objectContaining({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
      }),
    ]);
  });

  it('documents the list query from its schema', () => {
    const { parameters } = requests.get;
    expect(parameters.map((candidate) => [candidate.name, candidate.in])).toEqual([
      ['status', 'query'],
      ['accountDomain', 'query'],
      ['customerEmail', 'query'],
      ['expiresBefore', 'query'],
      ['limit', 'query'],
      ['cursor', 'query'],
    ]);
    expect(parameter(parameters, 'expiresBefore')?.schema).toMatchObject({
      type: 'string',
      format: 'date-time',
    });
    expect(parameter(parameters, 'limit')?.schema).toEqual({
      type: 'integer',
      minimum: 1,
      maximum: 100,
      default: 25,
    });
    expect(parameter(parameters, 'status')?.schema).toMatchObject({
      enum: ['PENDING_ACTIVATION', 'ACTIVE', 'DECLINED', 'CANCELLED', 'EXPIRED', 'FAILED'],
    });
    expect(parameter(parameters, 'cursor')?.schema).toEqual({ type: 'string', maxLength: 2048 });
  });

  it('describes the create body as sent: closed, three fields required, defaults shown', () => {
    const body = schemas.CreateSmartAccountRequest ?? {};
    expect(body).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['accountName', 'accountDomain', 'customerEmail'],
    });
    expect(body.properties).toMatchObject({
      accountName: { maxLength: 100 },
      userEmails: { maxItems: 50, default: [] },
      locale: { enum: ['en', 'nl'], default: 'en' },
    });
  });

  it('describes the resource with exactly its schema fields and no internal one', () => {
    const resource = schemas.SmartAccountRequest ?? {};
    expect(Object.keys(resource.properties ?? {})).toEqual(
      Object.keys(smartAccountRequestResource.shape),
    );
    for (const internal of ['partnerId', 'taskToken', 'codeHash', 'codeNonce', 'resendCount']) {
      expect(resource.properties).not.toHaveProperty(internal);
    }
    // Responses may gain fields; a client validating with this document must not break then.
    expect(resource).not.toHaveProperty('additionalProperties');
  });

  it('refers to the resource from the list instead of repeating it', () => {
    expect(schemas.SmartAccountRequestList?.properties?.items).toMatchObject({
      type: 'array',
      items: { $ref: '#/components/schemas/SmartAccountRequest' },
    });
  });

  it('answers every partner operation with problem+json for 401 and 429', () => {
    for (const operation of [requests.post, requests.get]) {
      for (const status of ['401', '429'] as const) {
        expect(operation.responses[status].content).toHaveProperty('application/problem+json');
      }
    }
  });
});

describe('GET /openapi.json', () => {
  it('serves the document as cacheable JSON', async () => {
    const response = await handler({}, lambdaContext('api-openapi'));
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'Content-Type': 'application/json',
      'Cache-Control': 'public, max-age=300',
    });
    expect(JSON.parse(response.body)).toEqual(JSON.parse(JSON.stringify(document)));
  });
});
