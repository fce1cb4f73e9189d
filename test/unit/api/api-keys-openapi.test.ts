import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../../functions/api/openapi-document.ts';
import { routeTable } from '../../../functions/catalog.ts';

const document = openApiDocument();
const { schemas } = document.components;

describe('the API keys in the OpenAPI document', () => {
  it('documents every API key route of the catalog, and no other', () => {
    const documented = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/v1/api-keys'))
      .flatMap(([path, item]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
      );
    const routed = routeTable()
      .filter((route) => route.path.startsWith('/v1/api-keys'))
      .map((route) => `${route.method} ${route.path}`);

    expect(documented.sort()).toEqual(routed.sort());
    expect(routed).toHaveLength(3);
  });

  it('lists keys with exactly the contract fields, and shows the key only in the create answer', () => {
    expect(Object.keys(schemas.ApiKey?.properties ?? {})).toEqual([
      'id',
      'label',
      'prefix',
      'createdAt',
      'lastUsedAt',
    ]);
    expect(Object.keys(schemas.ApiKeyWithSecret?.properties ?? {})).toEqual([
      'id',
      'label',
      'prefix',
      'createdAt',
      'key',
    ]);
    const answersWithKey = Object.values(document.paths)
      .flatMap((item) => Object.values(item))
      .filter((operation) => JSON.stringify(operation.responses).includes('ApiKeyWithSecret'))
      .map((operation) => operation.operationId);
    expect(answersWithKey).toEqual(['createApiKey']);
  });

  it('describes the create body as sent: closed, the label required and at most 100 characters', () => {
    expect(schemas.CreateApiKey).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['label'],
      properties: { label: { type: 'string', minLength: 1, maxLength: 100 } },
    });
  });

  it('documents the refusals the contract names', () => {
    const paths = document.paths as Record<string, Record<string, { responses: object }>>;
    expect(Object.keys(paths['/v1/api-keys']?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(['201', '400', '401', '409']),
    );
    expect(Object.keys(paths['/v1/api-keys/{id}']?.delete?.responses ?? {})).toEqual(
      expect.arrayContaining(['204', '401', '404', '409']),
    );
  });
});
