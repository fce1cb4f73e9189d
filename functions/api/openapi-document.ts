import * as z from 'zod/mini';
import {
  apiKeyList,
  apiKeyResource,
  apiKeyWithSecret,
  createApiKeyInput,
} from '../domain/api-key-schemas.ts';
import {
  correctRequestInput,
  createBatchInput,
  createRequestHeaders,
  createRequestInput,
  createRequestQuery,
  extendRequestInput,
  listRequestsQuery,
} from '../domain/request-schema.ts';
import {
  batchResult,
  problem,
  requestEvent,
  requestList,
  requestTimeline,
  smartAccountRequestResource,
  statusCounts,
} from '../domain/resource-schemas.ts';
import {
  addEndpointInput,
  deliveryList,
  deliveryResource,
  listDeliveriesQuery,
  webhookEndpointList,
  webhookEndpointResource,
  webhookEndpointWithSecret,
} from '../domain/webhook-schemas.ts';

type JsonSchema = z.core.JSONSchema.JSONSchema;

const COMPONENT_SCHEMAS = '#/components/schemas/';

/**
 * The component schemas of one registry, `$ref`-linked by id. `input` describes what a client
 * sends (before defaults and normalization), `output` what the API returns.
 */
const componentsOf = (
  io: 'input' | 'output',
  entries: readonly [id: string, schema: z.core.$ZodType][],
): Record<string, JsonSchema> => {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of entries) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    io,
    target: 'draft-2020-12',
    uri: (id) => `${COMPONENT_SCHEMAS}${id}`,
    // zod closes output objects because parsing strips unknown keys. A response may gain
    // fields in a later version; a client validating against this document must not break then.
    override: ({ jsonSchema }) => {
      if (io === 'output' && jsonSchema.additionalProperties === false) {
        delete jsonSchema.additionalProperties;
      }
    },
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _dialect, $id: _id, ...schema }]) => [id, schema]),
  );
};

/** OpenAPI parameters from the properties of an object schema: name, required, schema, description. */
const parametersOf = (schema: z.core.$ZodType, location: 'query' | 'header') => {
  const { properties = {}, required = [] } = z.toJSONSchema(schema, {
    io: 'input',
    target: 'draft-2020-12',
  });
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...parameterSchema } = typeof property === 'object' ? property : {};
    return {
      name,
      in: location,
      required: required.includes(name),
      ...(description === undefined ? {} : { description }),
      schema: parameterSchema,
    };
  });
};

const schemaRef = (name: string) => ({ $ref: `${COMPONENT_SCHEMAS}${name}` });

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: schemaRef('Problem') } },
});

const jsonResponse = (description: string, schema: string) => ({
  description,
  content: { 'application/json': { schema: schemaRef(schema) } },
});

const resourceResponse = (description: string) => jsonResponse(description, 'SmartAccountRequest');

/** API Gateway's stage throttling and the web ACL's rate rules apply to every route. */
const rateLimited = {
  '429': problemResponse('Too many requests; retry after the `Retry-After` delay'),
};

const partnerErrors = {
  '401': problemResponse('Missing or unknown API key'),
  ...rateLimited,
  '503': problemResponse(
    'A dependency is unavailable for now; retry after the `Retry-After` delay',
  ),
};

const idParameter = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The request id (`sar_…`) the create answered with.',
  schema: { type: 'string' },
};

const endpointIdParameter = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The webhook endpoint id (`whe_…`) the create answered with.',
  schema: { type: 'string' },
};

const eventIdParameter = {
  name: 'eventId',
  in: 'path',
  required: true,
  description: 'The event id (`evt_…`) of one of the endpoint’s deliveries.',
  schema: { type: 'string' },
};

const noSuchEndpoint = { '404': problemResponse('No such webhook endpoint for this partner') };

const apiKeyIdParameter = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The key id (`key_…`) the list or the create answered with; never the key itself.',
  schema: { type: 'string' },
};

/** OpenAPI 3.1 (JSON Schema 2020-12) generated from the same zod schemas the handlers validate with. */
export const openApiDocument = () => ({
  openapi: '3.1.0',
  info: {
    title: 'Smart Account Requests',
    version: '1.0.0',
    description:
      'Partners request a Smart Account on behalf of a customer; the customer activates it from an e-mailed link. Every error is `application/problem+json` with an `errorId` support can trace.',
    license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
  },
  // Relative to this document's own address, so the document is right for every deployment
  // (the stage URL, a custom domain, the local stack).
  servers: [{ url: '.', description: 'The service that serves this document' }],
  components: {
    securitySchemes: {
      partnerKey: {
        type: 'http',
        scheme: 'bearer',
        description: 'The partner API key, as `Authorization: Bearer <key>`.',
      },
    },
    schemas: {
      ...componentsOf('input', [
        ['CreateSmartAccountRequest', createRequestInput],
        ['ExtendSmartAccountRequest', extendRequestInput],
        ['CorrectSmartAccountRequest', correctRequestInput],
        ['CreateSmartAccountRequestBatch', createBatchInput],
        ['AddWebhookEndpoint', addEndpointInput],
        ['CreateApiKey', createApiKeyInput],
      ]),
      ...componentsOf('output', [
        ['SmartAccountRequest', smartAccountRequestResource],
        ['SmartAccountRequestList', requestList],
        ['RequestEvent', requestEvent],
        ['RequestTimeline', requestTimeline],
        ['StatusCounts', statusCounts],
        ['BatchResult', batchResult],
        ['Problem', problem],
        ['WebhookEndpoint', webhookEndpointResource],
        ['WebhookEndpointWithSecret', webhookEndpointWithSecret],
        ['WebhookEndpointList', webhookEndpointList],
        ['WebhookDelivery', deliveryResource],
        ['WebhookDeliveryList', deliveryList],
        ['ApiKey', apiKeyResource],
        ['ApiKeyWithSecret', apiKeyWithSecret],
        ['ApiKeyList', apiKeyList],
      ]),
    },
  },
  security: [{ partnerKey: [] }],
  paths: {
    '/v1/smart-account-requests': {
      post: {
        operationId: 'createSmartAccountRequest',
        summary: 'Request a Smart Account, or review the request (dryRun=true)',
        description:
          'Creates a provisional Smart Account pending customer acceptance and e-mails the customer an activation link. With `dryRun=true` it only answers the normalized request.',
        parameters: [
          ...parametersOf(createRequestQuery, 'query'),
          ...parametersOf(createRequestHeaders, 'header'),
        ],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: schemaRef('CreateSmartAccountRequest') } },
        },
        responses: {
          '200': resourceResponse('dryRun=true: the normalized request that would be created'),
          '202': {
            ...resourceResponse('Created: a provisional Smart Account pending customer acceptance'),
            headers: {
              Location: { description: 'The new request', schema: { type: 'string' } },
            },
          },
          '400': problemResponse('Invalid fields, query or Idempotency-Key'),
          '409': problemResponse(
            'The domain has a pending or active request, or the same Idempotency-Key is still in progress',
          ),
          '413': problemResponse('Body larger than 64 KiB'),
          '415': problemResponse('Body is not JSON'),
          '422': problemResponse('Idempotency-Key reused with another body'),
          ...partnerErrors,
        },
      },
      get: {
        operationId: 'listSmartAccountRequests',
        summary: "List the partner's requests, newest first, optionally filtered",
        description:
          'Filters combine. Every page holds `limit` items unless it is the last, and `nextCursor` is null exactly on the last page. Each single filter reads an index of its own, so its pages cost the same however many other requests the partner has. With `expiresBefore` (alone or with `status`) the list is ordered by `expiresAt`, latest first. A cursor belongs to the list (filters) it came from.',
        parameters: parametersOf(listRequestsQuery, 'query'),
        responses: {
          '200': jsonResponse('One page, newest first', 'SmartAccountRequestList'),
          '400': problemResponse('Invalid query'),
          ...partnerErrors,
        },
      },
    },
    '/v1/smart-account-requests/{id}': {
      get: {
        operationId: 'getSmartAccountRequest',
        summary: 'Get one request',
        parameters: [idParameter],
        responses: {
          '200': resourceResponse('The request'),
          '404': problemResponse('No such request for this partner'),
          ...partnerErrors,
        },
      },
      patch: {
        operationId: 'correctSmartAccountRequest',
        summary: "Correct a pending request's customer address, notes, users or locale",
        description:
          'Same rules as create for each field. A new `customerEmail` gets a new activation e-mail with a new link; the old link answers 404 from then on and the old address is not e-mailed again. The account (name, domain) cannot be changed: cancel and request again.',
        parameters: [idParameter],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: schemaRef('CorrectSmartAccountRequest') } },
        },
        responses: {
          '200': resourceResponse('Corrected'),
          '400': problemResponse('Invalid field, an account field, an unknown field or no field'),
          '404': problemResponse('No such request for this partner'),
          '409': problemResponse('Not pending'),
          ...partnerErrors,
        },
      },
    },
    '/v1/smart-account-requests/{id}/cancel': {
      post: {
        operationId: 'cancelSmartAccountRequest',
        summary: 'Withdraw a pending request',
        parameters: [idParameter],
        responses: {
          '200': resourceResponse('Cancelled'),
          '404': problemResponse('No such request for this partner'),
          '409': problemResponse('Not pending'),
          ...partnerErrors,
        },
      },
    },
    '/v1/smart-account-requests/batch': {
      post: {
        operationId: 'createSmartAccountRequestBatch',
        summary: 'Request up to 100 Smart Accounts at once, or review them (dryRun=true)',
        description:
          'Each item is created or refused on its own, in order, with the status and body a single create would give (items for the same domain in order: the first wins it). An Idempotency-Key replays the whole answer.',
        parameters: [
          ...parametersOf(createRequestQuery, 'query'),
          ...parametersOf(createRequestHeaders, 'header'),
        ],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: schemaRef('CreateSmartAccountRequestBatch') } },
        },
        responses: {
          '200': jsonResponse('One entry per item, in order', 'BatchResult'),
          '400': problemResponse('Not 1-100 items, or not an object with items'),
          '413': problemResponse('Body over 1 MiB'),
          '415': problemResponse('Not JSON'),
          '422': problemResponse('Idempotency-Key reused with another body'),
          ...partnerErrors,
        },
      },
    },
    '/v1/smart-account-requests/counts': {
      get: {
        operationId: 'countSmartAccountRequests',
        summary: "The partner's requests per status",
        description:
          'Exact counts, kept with every status change: a new request is counted once its execution starts (within a second), a close once it is settled.',
        responses: {
          '200': jsonResponse('Every status with its count', 'StatusCounts'),
          ...partnerErrors,
        },
      },
    },
    '/v1/smart-account-requests/{id}/events': {
      get: {
        operationId: 'getSmartAccountRequestTimeline',
        summary: "The request's timeline: its events and e-mails, oldest first",
        parameters: [idParameter],
        responses: {
          '200': jsonResponse('The timeline', 'RequestTimeline'),
          '404': problemResponse('No such request for this partner'),
          ...partnerErrors,
        },
      },
    },
    '/v1/smart-account-requests/{id}/extend': {
      post: {
        operationId: 'extendSmartAccountRequest',
        summary: 'Move the expiry of a pending request to a later date',
        parameters: [idParameter],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: schemaRef('ExtendSmartAccountRequest') } },
        },
        responses: {
          '200': resourceResponse('Extended: the request expires at the new date'),
          '400': problemResponse(
            'Not later than the current expiresAt, more than 364 days after createdAt, or malformed',
          ),
          '404': problemResponse('No such request for this partner'),
          '409': problemResponse('Not pending'),
          ...partnerErrors,
        },
      },
    },
    '/v1/smart-account-requests/{id}/resend': {
      post: {
        operationId: 'resendActivationEmail',
        summary: 'Send the activation e-mail again (same link)',
        parameters: [idParameter],
        responses: {
          '202': resourceResponse('Activation e-mail sent again, same link'),
          '404': problemResponse('No such request for this partner'),
          '409': problemResponse('Not pending'),
          ...partnerErrors,
          '429': problemResponse('More than 5 resends, or too many requests'),
        },
      },
    },
    '/v1/webhook-endpoints': {
      post: {
        operationId: 'createWebhookEndpoint',
        summary: 'Add a webhook endpoint; its signing secret is shown only in this answer',
        description:
          'Events are POSTed to the URL as Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`), signed with the secret. The URL must be https on a host that is and resolves to public addresses only; the check is repeated at every delivery. At most 10 endpoints per partner.',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: schemaRef('AddWebhookEndpoint') } },
        },
        responses: {
          '201': jsonResponse('Added, with its secret', 'WebhookEndpointWithSecret'),
          '400': problemResponse(
            'Not https, credentials in the URL, a host that is or resolves to a loopback, private, link-local or unique-local address, or an unknown event type',
          ),
          '409': problemResponse('The partner has 10 endpoints already'),
          '413': problemResponse('Body larger than 64 KiB'),
          '415': problemResponse('Body is not JSON'),
          ...partnerErrors,
        },
      },
      get: {
        operationId: 'listWebhookEndpoints',
        summary: "List the partner's webhook endpoints, without their secrets",
        responses: {
          '200': jsonResponse('Every endpoint, oldest first', 'WebhookEndpointList'),
          ...partnerErrors,
        },
      },
    },
    '/v1/webhook-endpoints/{id}': {
      delete: {
        operationId: 'deleteWebhookEndpoint',
        summary: 'Delete a webhook endpoint: nothing more is delivered to it',
        parameters: [endpointIdParameter],
        responses: {
          '204': { description: 'Deleted' },
          ...noSuchEndpoint,
          ...partnerErrors,
        },
      },
    },
    '/v1/webhook-endpoints/{id}/rotate-secret': {
      post: {
        operationId: 'rotateWebhookSecret',
        summary: 'Replace the signing secret; the old one keeps signing for 24 hours',
        description:
          'While both are valid every delivery carries two space-separated signatures, so a receiver may switch to the new secret at any time within the 24 hours.',
        parameters: [endpointIdParameter],
        responses: {
          '200': jsonResponse('Rotated, with the new secret', 'WebhookEndpointWithSecret'),
          ...noSuchEndpoint,
          ...partnerErrors,
        },
      },
    },
    '/v1/webhook-endpoints/{id}/test': {
      post: {
        operationId: 'testWebhookEndpoint',
        summary: 'Deliver a `webhook.test` event to this endpoint',
        parameters: [endpointIdParameter],
        responses: {
          '202': jsonResponse('On its way: the delivery, as its list shows it', 'WebhookDelivery'),
          ...noSuchEndpoint,
          ...partnerErrors,
        },
      },
    },
    '/v1/webhook-endpoints/{id}/deliveries': {
      get: {
        operationId: 'listWebhookDeliveries',
        summary: "List the endpoint's deliveries, newest first",
        parameters: [endpointIdParameter, ...parametersOf(listDeliveriesQuery, 'query')],
        responses: {
          '200': jsonResponse('One page, newest first', 'WebhookDeliveryList'),
          '400': problemResponse('Invalid query'),
          ...noSuchEndpoint,
          ...partnerErrors,
        },
      },
    },
    '/v1/webhook-endpoints/{id}/deliveries/{eventId}/redeliver': {
      post: {
        operationId: 'redeliverWebhook',
        summary: 'Deliver an event to this endpoint again, with a fresh retry schedule',
        parameters: [endpointIdParameter, eventIdParameter],
        responses: {
          '202': jsonResponse('On its way again', 'WebhookDelivery'),
          '404': problemResponse('No such webhook endpoint, or no such delivery for it'),
          ...partnerErrors,
        },
      },
    },
    '/v1/api-keys': {
      get: {
        operationId: 'listApiKeys',
        summary: "List the partner's API keys, without the keys themselves",
        responses: {
          '200': jsonResponse('Every key, oldest first', 'ApiKeyList'),
          ...partnerErrors,
        },
      },
      post: {
        operationId: 'createApiKey',
        summary: 'Create an API key; the key is shown only in this answer',
        description:
          'Only the key’s SHA-256 is stored: store the key from this answer, nobody can show it again. At most 5 keys per partner.',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: schemaRef('CreateApiKey') } },
        },
        responses: {
          '201': jsonResponse('Created, with the key', 'ApiKeyWithSecret'),
          '400': problemResponse('Invalid label'),
          '409': problemResponse('The partner has 5 keys already'),
          '413': problemResponse('Body larger than 64 KiB'),
          '415': problemResponse('Body is not JSON'),
          ...partnerErrors,
        },
      },
    },
    '/v1/api-keys/{id}': {
      delete: {
        operationId: 'revokeApiKey',
        summary: 'Revoke an API key: it answers 401 from the next request on',
        description:
          'The authorizer’s cache is flushed, so a key used a moment ago is refused at once. The partner’s last key cannot be revoked: create another first.',
        parameters: [apiKeyIdParameter],
        responses: {
          '204': { description: 'Revoked' },
          '404': problemResponse('No such API key for this partner'),
          '409': problemResponse('The partner’s only key'),
          ...partnerErrors,
        },
      },
    },
    '/openapi.json': {
      get: {
        operationId: 'getOpenApiDocument',
        summary: 'This document',
        security: [],
        responses: {
          '200': { description: 'OpenAPI 3.1', content: { 'application/json': {} } },
          ...rateLimited,
        },
      },
    },
    '/health': {
      get: {
        operationId: 'health',
        summary: 'Liveness check',
        security: [],
        responses: {
          '200': { description: 'Up', content: { 'application/json': {} } },
          ...rateLimited,
        },
      },
    },
  },
});
