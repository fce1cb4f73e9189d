import type { APIGatewayProxyEvent } from 'aws-lambda';
import { NotFound } from '../../shared/errors.ts';

/** What newEndpointId and newEventId make: a prefix and a ULID (Crockford base32). */
const ENDPOINT_ID = /^whe_[0-9A-HJKMNP-TV-Z]{26}$/;
const EVENT_ID = /^evt_[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * The `{id}` path parameter. Anything that is not an endpoint id names no endpoint: it answers
 * 404 without a table read (DynamoDB refuses oversized keys, which would otherwise be a 500).
 */
export const endpointIdOf = (event: APIGatewayProxyEvent): string => {
  const id = event.pathParameters?.id ?? '';
  if (!ENDPOINT_ID.test(id)) throw new NotFound('No such webhook endpoint.');
  return id;
};

/** The `{eventId}` path parameter, checked the same way. */
export const eventIdOf = (event: APIGatewayProxyEvent): string => {
  const id = event.pathParameters?.eventId ?? '';
  if (!EVENT_ID.test(id)) throw new NotFound('No such delivery for this endpoint.');
  return id;
};
