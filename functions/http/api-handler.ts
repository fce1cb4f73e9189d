import type middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { isRequestId, newErrorId } from '../shared/crypto.ts';
import { NotFound, Unauthenticated } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { observedMiddy } from '../shared/observability.ts';
import { problemFor, problemResponse } from './problem.ts';

type ApiFunction = (
  event: APIGatewayProxyEvent,
  context: Context,
) => Promise<APIGatewayProxyResult>;

/**
 * Every error becomes an application/problem+json response whose errorId is also in the log
 * line, so support can find the log entry from what the partner quotes.
 */
const problemErrors = (): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  onError: async (request) => {
    const problem = problemFor(request.error);
    const errorId = newErrorId();
    const details = {
      errorId,
      status: problem.status,
      errorName: request.error?.name,
      path: request.event.resource ?? request.event.path,
      method: request.event.httpMethod,
    };
    // A 503 is a dependency that is down for now (the partner retries); only other 5xx are bugs.
    if (problem.status === 503)
      logger.warn('dependency unavailable', { ...details, error: request.error });
    else if (problem.status >= 500)
      logger.error('request failed', { ...details, error: request.error });
    else logger.info('request rejected', details);
    request.response = problemResponse(problem, errorId);
  },
});

/**
 * Observability first, so the problem's log line still carries the invocation's context and
 * the metrics flush after it; the header names are lower-cased before the handler reads them.
 */
export const apiHandler = (fn: ApiFunction) =>
  observedMiddy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(httpHeaderNormalizer())
    .use(problemErrors())
    .handler(fn);

/** The partner id the API Gateway authorizer put in the request context. */
export const partnerIdOf = (event: APIGatewayProxyEvent): string => {
  const partnerId = event.requestContext.authorizer?.partnerId;
  if (typeof partnerId !== 'string' || !partnerId) throw new Unauthenticated('No partner');
  return partnerId;
};

/**
 * The `{id}` path parameter. Anything that is not a request id names no request: it answers
 * 404 without a table read (DynamoDB refuses keys over 2 KB, which would otherwise be a 500).
 */
export const requestIdOf = (event: APIGatewayProxyEvent): string => {
  const id = event.pathParameters?.id ?? '';
  if (!isRequestId(id)) throw new NotFound('No such request.');
  return id;
};
