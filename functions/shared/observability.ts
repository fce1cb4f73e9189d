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
const observability = () => [injectLambdaContext(logger, { resetKeys: true }), logMetrics(metrics)];

const OBSERVED = Symbol.for('smart-account-requests.observed');

/** Whether a handler was built here: test/unit/observability checks every catalog entry. */
export const isObserved = (handler: unknown): boolean =>
  typeof handler === 'function' && OBSERVED in handler;

/** A middy handler with observability first; add the handler's own middlewares after it. */
export const observedMiddy = <TEvent, TResult>() =>
  Object.assign(middy<TEvent, TResult>().use(observability()), { [OBSERVED]: true as const });

/** A handler with nothing but observability (console, health, OpenAPI, the authorizer). */
export const observedHandler = <TEvent, TResult>(
  fn: (event: TEvent, context: Context) => Promise<TResult>,
) => observedMiddy<TEvent, TResult>().handler(fn);
