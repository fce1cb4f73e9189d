import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Requester } from '../domain/request-intake.ts';
import { partnerIdOf } from '../http/api-handler.ts';

/** The calling partner as the authorizer described it in the request context. */
export const requesterOf = (event: APIGatewayProxyEvent): Requester => ({
  partnerId: partnerIdOf(event),
  partnerName: String(event.requestContext.authorizer?.partnerName ?? ''),
});
