/**
 * Every error the system raises on purpose. `name` is set explicitly because the state
 * machine's Retry/Catch match on it (Lambda reports `error.name` as the error type) and
 * minified bundles would otherwise rename the classes.
 */
export class AppError extends Error {
  override readonly name: string = 'AppError';
}

/** Options every error takes: the failure it wraps travels as `cause` (and so into logs). */
export interface ErrorCause {
  readonly cause?: unknown;
}

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** 400: the input is malformed; one entry per bad field. */
export class ValidationFailed extends AppError {
  override readonly name = 'ValidationFailed';
  constructor(
    readonly errors: readonly FieldError[],
    message = 'The request has invalid fields.',
    options: ErrorCause = {},
  ) {
    super(message, options);
  }
}

/** 401 */
export class Unauthenticated extends AppError {
  override readonly name = 'Unauthenticated';
}

/** 404, also for another partner's request so ids cannot be probed. */
export class NotFound extends AppError {
  override readonly name = 'NotFound';
}

/** 409: the account domain already has a live request. */
export class DomainTaken extends AppError {
  override readonly name = 'DomainTaken';
  constructor(readonly accountDomain: string) {
    super(`The domain ${accountDomain} already has a pending or active Smart Account request.`);
  }
}

/** 409: the partner has as many webhook endpoints as allowed. */
export class EndpointLimitReached extends AppError {
  override readonly name = 'EndpointLimitReached';
}

/** 409: the partner has as many API keys as allowed. */
export class ApiKeyLimitReached extends AppError {
  override readonly name = 'ApiKeyLimitReached';
}

/** 409: revoking this key would leave the partner without any. */
export class LastApiKey extends AppError {
  override readonly name = 'LastApiKey';
}

/** 409: the request is not PENDING_ACTIVATION any more (cancel, resend). */
export class NotPending extends AppError {
  override readonly name = 'NotPending';
  constructor(readonly status: string) {
    super(`The request is ${status}, not PENDING_ACTIVATION.`);
  }
}

/** 409: the same Idempotency-Key is being processed right now. */
export class IdempotencyInProgress extends AppError {
  override readonly name = 'IdempotencyInProgress';
}

/** 422: the Idempotency-Key was used before with a different body. */
export class IdempotencyKeyReused extends AppError {
  override readonly name = 'IdempotencyKeyReused';
}

/** 413 */
export class PayloadTooLarge extends AppError {
  override readonly name = 'PayloadTooLarge';
}

/** 415 */
export class UnsupportedMediaType extends AppError {
  override readonly name = 'UnsupportedMediaType';
}

/** 429: e.g. more than the allowed number of resends. */
export class TooManyRequests extends AppError {
  override readonly name = 'TooManyRequests';
}

/** The services the adapters talk to; a DependencyUnavailable names which one failed. */
export const Dependency = {
  TABLE: 'DynamoDB',
  WORKFLOW: 'StepFunctions',
  EMAIL: 'SES',
  EVENTS: 'EventBridge',
  /** API Gateway's management API: flushing the authorizer cache after a revoke. */
  GATEWAY: 'APIGateway',
} as const;
export type Dependency = (typeof Dependency)[keyof typeof Dependency];

/**
 * A dependency failed in a way a retry can fix (throttling, a fault on its side, the network),
 * after the SDK's own retries. Nothing half-done was left behind. Every adapter raises this one
 * class (functions/adapters/dependency-errors.ts decides what is transient); the HTTP layer
 * answers 503 with a Retry-After it chooses per dependency, and the state machine retries it.
 */
export class DependencyUnavailable extends AppError {
  override readonly name: string = 'DependencyUnavailable';
  readonly dependency: Dependency;
  constructor(message: string, options: ErrorCause & { readonly dependency: Dependency }) {
    super(message, { cause: options.cause });
    this.dependency = options.dependency;
  }
}

/** Workflow: the request is no longer PENDING_ACTIVATION; the machine goes straight to Settle. */
export class RequestClosed extends AppError {
  override readonly name = 'RequestClosed';
}

/**
 * SES throttled or failed transiently: a DependencyUnavailable (503 for the API) with a name of
 * its own, because the state machine retries it on a longer retrier than other dependencies.
 * A burst over the account's SES sending rate lasts minutes, not seconds, and must delay mail
 * instead of failing requests; a DynamoDB outage that long should surface sooner.
 */
export class EmailThrottled extends DependencyUnavailable {
  override readonly name = 'EmailThrottled';
  constructor(message: string, options: ErrorCause = {}) {
    super(message, { ...options, dependency: Dependency.EMAIL });
  }
}

/** Workflow: SES refused the message for good (rejected, suppressed address). */
export class EmailRejected extends AppError {
  override readonly name = 'EmailRejected';
}

/** Workflow/event Lambdas: the payload is not what the state machine or EventBridge sends. */
export class InvalidEvent extends AppError {
  override readonly name = 'InvalidEvent';
}
