import { Logger } from '@aws-lambda-powertools/logger';
import { SERVICE_NAME } from './business-metrics.ts';

/**
 * One logger per Lambda. Handlers never log whole events or records: task tokens, activation
 * codes and customer addresses would end up in CloudWatch.
 *
 * Its level is the function's application log level, read once when the logger is built:
 * `AWS_LAMBDA_LOG_LEVEL`, which Lambda sets from the function's `applicationLogLevelV2`
 * (infra/constructs/handler-function.ts) and the local stack sets the same way
 * (local/stack.ts). Lambda drops lines below that level too, so the logger and the platform
 * cannot disagree. `setLogLevel` does not hold: with that variable set Powertools ignores it,
 * and without it the context middleware (functions/shared/observability.ts) restores the
 * initial level at every invocation.
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME,
});
