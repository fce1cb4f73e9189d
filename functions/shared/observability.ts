import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from './logger.ts';
import { metrics } from './metrics.ts';

/**
 * What every handler is wrapped in, first, so it runs around everything else:
 * - every log line carries the Lambda request id, the function and whether this was a cold
 *   start, which is how the runbook's `errorId` search finds the rest of that invocation;
 * - keys appended during an invocation (a request id) are dropped when it ends (`resetKeys`),
 *   so a warm container never stamps them on the next invocation's lines;
 * - the invocation's business metrics are flushed as one EMF line, also when it failed.
 */
export const observability = () => [
  injectLambdaContext(logger, { resetKeys: true }),
  logMetrics(metrics),
];

/** A handler with nothing but observability (console, health, OpenAPI, the authorizer). */
export const observedHandler = <TEvent, TResult>(
  fn: (event: TEvent, context: Context) => Promise<TResult>,
) => middy<TEvent, TResult>().use(observability()).handler(fn);
