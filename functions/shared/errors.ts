/**
 * Every error the system raises on purpose. `name` is set explicitly because the state
 * machine's Retry/Catch match on it (Lambda reports `error.name` as the error type) and
 * minified bundles would otherwise rename the classes.
 */
export class AppError extends Error {
  override readonly name: string = 'AppError';
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
  ) {
    super(message);
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
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** 503: a dependency failed in a way a retry can fix. Nothing half-done was left behind. */
export class ServiceUnavailable extends AppError {
  override readonly name = 'ServiceUnavailable';
  constructor(
    message: string,
    readonly retryAfterSeconds = 1,
  ) {
    super(message);
  }
}

/** Workflow: the request is no longer PENDING_ACTIVATION; the machine goes straight to Settle. */
export class RequestClosed extends AppError {
  override readonly name = 'RequestClosed';
}

/** Workflow: SES throttled or failed transiently; the state machine retries with backoff. */
export class EmailThrottled extends AppError {
  override readonly name = 'EmailThrottled';
}

/** Workflow: SES refused the message for good (rejected, suppressed address). */
export class EmailRejected extends AppError {
  override readonly name = 'EmailRejected';
}

/** Workflow: DynamoDB throttled or unavailable; retried by the state machine. */
export class StoreUnavailable extends AppError {
  override readonly name = 'StoreUnavailable';
}

/** Workflow/event Lambdas: the payload is not what the state machine or EventBridge sends. */
export class InvalidEvent extends AppError {
  override readonly name = 'InvalidEvent';
}
