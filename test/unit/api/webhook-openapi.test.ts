import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../../functions/api/openapi-document.ts';
import { routeTable } from '../../../functions/catalog.ts';

const document = openApiDocument();
const { schemas } = document.components;

describe('the webhook endpoints in the OpenAPI document', () => {
  it('documents every webhook route of the catalog, and no other', () => {
    const documented = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/v1/webhook-endpoints'))
      .flatMap(([path, item]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
      );
    const routed = routeTable()
      .filter((route) => route.path.startsWith('/v1/webhook-endpoints'))
      .map((route) => `${route.method} ${route.path}`);

    expect(documented.sort()).toEqual(routed.sort());
    expect(routed).toHaveLength(7);
  });

  it('shows the secret only in the create and the rotation answers', () => {
    expect(Object.keys(schemas.WebhookEndpoint?.properties ?? {})).toEqual([
      'id',
      'url',
      'events',
      'description',
      'createdAt',
    ]);
    expect(schemas.WebhookEndpointWithSecret?.required).toContain('secret');
    const answersWithSecret = Object.values(document.paths)
      .flatMap((item) => Object.values(item))
      .filter((operation) =>
        JSON.stringify(operation.responses).includes('WebhookEndpointWithSecret'),
      )
      .map((operation) => operation.operationId);
    expect(answersWithSecret).toEqual(['createWebhookEndpoint', 'rotateWebhookSecret']);
  });

  it('describes the add body as sent: closed, only the url required', () => {
    expect(schemas.AddWebhookEndpoint).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['url'],
      properties: { url: { maxLength: 2048 }, description: expect.any(Object) },
    });
  });

  it('documents the deliveries with exactly the contract fields', () => {
    expect(Object.keys(schemas.WebhookDelivery?.properties ?? {})).toEqual([
      'eventId',
      'type',
      'status',
      'attempts',
      'lastAttemptAt',
      'lastStatusCode',
      'nextAttemptAt',
    ]);
    expect(schemas.WebhookDelivery?.properties?.status).toMatchObject({
      enum: ['pending', 'succeeded', 'failed'],
    });
  });
});
