import type { APIGatewayProxyEvent } from 'aws-lambda';
import { isApiKeyId } from '../../domain/api-keys.ts';
import { NotFound } from '../../shared/errors.ts';

/**
 * The `{id}` path parameter. Anything that is not a key id names no key: it answers 404 without
 * a table read (DynamoDB refuses oversized keys, which would otherwise be a 500).
 */
export const apiKeyIdOf = (event: APIGatewayProxyEvent): string => {
  const id = event.pathParameters?.id ?? '';
  if (!isApiKeyId(id)) throw new NotFound('No such API key.');
  return id;
};
