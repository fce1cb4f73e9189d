import { StoreUnavailable } from '../shared/errors.ts';

const TRANSIENT = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
]);

const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

export const isConditionFailed = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/**
 * Throttling, service faults and network failures become StoreUnavailable: the API answers
 * 503 with Retry-After and the state machine retries with backoff. Anything else is a bug and
 * propagates as is.
 */
export const translateStoreError = (error: unknown): unknown => {
  if (!(error instanceof Error)) return error;
  const code = (error as { code?: string }).code;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (TRANSIENT.has(error.name) || (code && NETWORK.has(code)) || (status && status >= 500)) {
    const unavailable = new StoreUnavailable(`DynamoDB unavailable: ${error.name}`);
    unavailable.cause = error;
    return unavailable;
  }
  return error;
};

export const storeCall = async <T>(call: () => Promise<T>): Promise<T> => {
  try {
    return await call();
  } catch (error) {
    throw translateStoreError(error);
  }
};
