import { type Dependency, DependencyUnavailable } from '../shared/errors.ts';

/**
 * The one list of failures a retry can fix, for every adapter (DynamoDB, Step Functions, SES).
 * The SDK has already retried these with backoff by the time an adapter sees them.
 */
const TRANSIENT_ERROR_NAMES = new Set([
  // Throttling: DynamoDB, Step Functions, SES and KMS behind Step Functions.
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ThrottlingException',
  'TooManyRequestsException',
  'LimitExceededException',
  'KmsThrottlingException',
  // Faults on the service's side.
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  // The SDK's own timeouts.
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
]);

/** Throttling, a fault on the service's side (5xx) or the network: retrying can succeed. */
export const isTransient = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return (
    TRANSIENT_ERROR_NAMES.has(error.name) ||
    (code !== undefined && NETWORK_ERROR_CODES.has(code)) ||
    (status !== undefined && (status >= 500 || status === 429))
  );
};

/**
 * A transient failure becomes DependencyUnavailable (the API answers 503, the state machine
 * retries); anything else is a bug or a refusal the caller handles, and propagates as is.
 */
export const dependencyError = (dependency: Dependency, error: unknown): unknown =>
  isTransient(error)
    ? new DependencyUnavailable(`${dependency} unavailable: ${(error as Error).name}`, {
        dependency,
        cause: error,
      })
    : error;

export const callDependency = async <T>(
  dependency: Dependency,
  call: () => Promise<T>,
): Promise<T> => {
  try {
    return await call();
  } catch (error) {
    throw dependencyError(dependency, error);
  }
};
