import type middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { optionalString } from './event-fields.ts';
import { logger } from './logger.ts';
import { observedHandler } from './observability.ts';

/**
 * The request a workflow task works on is on every line it logs. Appended per invocation; the
 * context middleware drops it again at the end (resetKeys).
 */
const requestIdOnEveryLine = (): middy.MiddlewareObj<unknown> => ({
  before: (request) => {
    const requestId = optionalString(request.event, 'requestId');
    if (requestId) logger.appendKeys({ requestId });
  },
});

/**
 * Workflow tasks and event handlers. Errors are not caught: their names are what the ASL's
 * Retry and Catch match, and a failed event is retried by EventBridge.
 */
export const taskHandler = <TResult>(fn: (event: unknown, context: Context) => Promise<TResult>) =>
  observedHandler(fn).use(requestIdOnEveryLine());
