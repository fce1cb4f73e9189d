import { type $ZodType, toJSONSchema } from 'zod/v4/core';
import { createRequestInput } from '../domain/request-schema.ts';
import { problem, requestList, smartAccountRequestResource } from '../domain/resource-schemas.ts';
import { requestStatuses } from '../shared/status.ts';

const schemaOf = (schema: $ZodType, io: 'input' | 'output') => {
  const { $schema: _dialect, ...jsonSchema } = toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  });
  return jsonSchema;
};

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const resourceResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/SmartAccountRequest' } } },
});

const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

/** OpenAPI 3.1 (JSON Schema 2020-12) generated from the same zod schemas the handlers validate with. */
export const openApiDocument = () => ({
  openapi: '3.1.0',
  info: {
    title: 'Smart Account Requests',
    version: '1.0.0',
    description:
      'Partners request a Smart Account on behalf of a customer; the customer activates it from an e-mailed link.',
  },
  components: {
    securitySchemes: { partnerKey: { type: 'http', scheme: 'bearer' } },
    schemas: {
      CreateSmartAccountRequest: schemaOf(createRequestInput, 'input'),
      SmartAccountRequest: schemaOf(smartAccountRequestResource, 'output'),
      SmartAccountRequestList: schemaOf(requestList, 'output'),
      Problem: schemaOf(problem, 'output'),
    },
  },
  security: [{ partnerKey: [] }],
  paths: {
    '/v1/smart-account-requests': {
      post: {
        operationId: 'createSmartAccountRequest',
        parameters: [
          {
            name: 'dryRun',
            in: 'query',
            schema: { type: 'boolean' },
            description: 'Review only: validate and normalize, write nothing.',
          },
          { name: 'Idempotency-Key', in: 'header', schema: { type: 'string', maxLength: 255 } },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { $ref: '#/components/schemas/CreateSmartAccountRequest' },
            },
          },
        },
        responses: {
          '200': resourceResponse('dryRun=true: the normalized request that would be created'),
          '202': resourceResponse(
            'Created: a provisional Smart Account pending customer acceptance',
          ),
          '400': problemResponse('Invalid fields'),
          '401': problemResponse('Missing or unknown API key'),
          '409': problemResponse('The domain has a pending or active request'),
          '413': problemResponse('Body larger than 64 KiB'),
          '415': problemResponse('Body is not JSON'),
          '422': problemResponse('Idempotency-Key reused with another body'),
          '503': problemResponse('Temporarily unavailable; retry after Retry-After'),
        },
      },
      get: {
        operationId: 'listSmartAccountRequests',
        parameters: [
          { name: 'status', in: 'query', schema: { type: 'string', enum: requestStatuses } },
          {
            name: 'limit',
            in: 'query',
            schema: { type: 'integer', minimum: 1, maximum: 100, default: 25 },
          },
          { name: 'cursor', in: 'query', schema: { type: 'string' } },
        ],
        responses: {
          '200': {
            description: 'Newest first',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/SmartAccountRequestList' },
              },
            },
          },
          '400': problemResponse('Invalid query'),
          '401': problemResponse('Missing or unknown API key'),
        },
      },
    },
    '/v1/smart-account-requests/{id}': {
      get: {
        operationId: 'getSmartAccountRequest',
        parameters: [idParameter],
        responses: {
          '200': resourceResponse('The request'),
          '401': problemResponse('Missing or unknown API key'),
          '404': problemResponse('No such request for this partner'),
        },
      },
    },
    '/v1/smart-account-requests/{id}/cancel': {
      post: {
        operationId: 'cancelSmartAccountRequest',
        parameters: [idParameter],
        responses: {
          '200': resourceResponse('Cancelled'),
          '401': problemResponse('Missing or unknown API key'),
          '404': problemResponse('No such request for this partner'),
          '409': problemResponse('Not pending'),
        },
      },
    },
    '/v1/smart-account-requests/{id}/resend': {
      post: {
        operationId: 'resendActivationEmail',
        parameters: [idParameter],
        responses: {
          '202': resourceResponse('Activation e-mail sent again, same link'),
          '401': problemResponse('Missing or unknown API key'),
          '404': problemResponse('No such request for this partner'),
          '409': problemResponse('Not pending'),
          '429': problemResponse('More than 5 resends'),
        },
      },
    },
    '/health': {
      get: { operationId: 'health', security: [], responses: { '200': { description: 'Up' } } },
    },
  },
});
