import type { APIGatewayProxyResult } from 'aws-lambda';
import type { $ZodError } from 'zod/v4/core';
import {
  ApiKeyLimitReached,
  Dependency,
  DependencyUnavailable,
  DomainTaken,
  EndpointLimitReached,
  type FieldError,
  IdempotencyInProgress,
  IdempotencyKeyReused,
  LastApiKey,
  NotFound,
  NotPending,
  PayloadTooLarge,
  TooManyRequests,
  Unauthenticated,
  UnsupportedMediaType,
  ValidationFailed,
} from '../shared/errors.ts';
import { jsonSecurityHeaders } from './security-headers.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly errors?: readonly FieldError[];
  readonly headers?: Record<string, string>;
}

const problemType = (slug: string): string => `urn:smart-account-requests:problem:${slug}`;

/** Errors whose message is the problem's detail, with nothing else to add. */
const PLAIN_PROBLEMS: readonly [
  errorClass: abstract new (...args: never[]) => Error,
  slug: string,
  title: string,
  status: number,
][] = [
  [NotFound, 'not-found', 'Not found', 404],
  [DomainTaken, 'domain-taken', 'Domain taken', 409],
  [NotPending, 'not-pending', 'Not pending', 409],
  [EndpointLimitReached, 'endpoint-limit-reached', 'Endpoint limit reached', 409],
  [ApiKeyLimitReached, 'api-key-limit-reached', 'API key limit reached', 409],
  [LastApiKey, 'last-api-key', 'Last API key', 409],
  [PayloadTooLarge, 'payload-too-large', 'Payload too large', 413],
  [UnsupportedMediaType, 'unsupported-media-type', 'Unsupported media type', 415],
  [IdempotencyKeyReused, 'idempotency-key-reused', 'Idempotency-Key reused', 422],
  [TooManyRequests, 'too-many-requests', 'Too many requests', 429],
];

/**
 * How long a client is asked to wait (Retry-After) when a dependency is unavailable: the
 * HTTP layer's choice, not the domain's. DynamoDB and SES throttles have already been retried
 * by the SDK and clear within about a second; Step Functions refusals (StartExecution's
 * account-wide rate, signals during an outage) take a little longer to clear.
 */
export const RETRY_AFTER_SECONDS: Readonly<Record<Dependency, number>> = {
  [Dependency.TABLE]: 1,
  [Dependency.WORKFLOW]: 2,
  [Dependency.EMAIL]: 1,
  [Dependency.EVENTS]: 1,
  // A management call, throttled per account like Step Functions' (the SDK has retried).
  [Dependency.GATEWAY]: 2,
};

export const retryAfterFor = (error: DependencyUnavailable): number =>
  RETRY_AFTER_SECONDS[error.dependency];

/** Maps the named errors to RFC 9457 problems; anything unknown is a 500 with no internals. */
export const problemFor = (error: unknown): Problem => {
  if (error instanceof ValidationFailed) {
    return {
      type: problemType('validation-failed'),
      title: 'Invalid request',
      status: 400,
      detail: error.message,
      errors: error.errors,
    };
  }
  if (error instanceof Unauthenticated) {
    return {
      type: problemType('unauthenticated'),
      title: 'Unauthorized',
      status: 401,
      detail: 'Send a valid partner API key as "Authorization: Bearer <key>".',
      headers: { 'WWW-Authenticate': 'Bearer' },
    };
  }
  for (const [errorClass, slug, title, status] of PLAIN_PROBLEMS) {
    if (error instanceof errorClass) {
      return { type: problemType(slug), title, status, detail: error.message };
    }
  }
  if (error instanceof IdempotencyInProgress) {
    return {
      type: problemType('idempotency-in-progress'),
      title: 'Request in progress',
      status: 409,
      detail: 'A request with this Idempotency-Key is still being processed; retry shortly.',
      headers: { 'Retry-After': '1' },
    };
  }
  if (error instanceof DependencyUnavailable) {
    return {
      type: problemType('service-unavailable'),
      title: 'Service unavailable',
      status: 503,
      detail: 'A dependency is unavailable for now. Retry after the given delay; retrying is safe.',
      headers: { 'Retry-After': String(retryAfterFor(error)) },
    };
  }
  return {
    type: problemType('internal-error'),
    title: 'Internal error',
    status: 500,
    detail: 'Something went wrong on our side. Quote the errorId to support.',
  };
};

/** The problem+json body of a problem: what a response carries, and a batch item too. */
export const problemBody = (problem: Problem, errorId: string) => ({
  type: problem.type,
  title: problem.title,
  status: problem.status,
  detail: problem.detail,
  errorId,
  ...(problem.errors ? { errors: problem.errors } : {}),
});

export const problemResponse = (problem: Problem, errorId: string): APIGatewayProxyResult => ({
  statusCode: problem.status,
  headers: {
    'Content-Type': PROBLEM_CONTENT_TYPE,
    'Cache-Control': 'no-store',
    ...jsonSecurityHeaders,
    ...problem.headers,
  },
  body: JSON.stringify(problemBody(problem, errorId)),
});

/** One field error per bad field, with dotted paths (`userEmails.2`) and readable messages. */
export const fieldErrorsOf = (error: $ZodError, prefix?: string): FieldError[] =>
  error.issues.flatMap((issue) => {
    const base = [...(prefix ? [prefix] : []), ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [...base, key].join('.'),
        message: 'Unknown field.',
      }));
    }
    const missing = issue.code === 'invalid_type' && issue.input === undefined;
    return [{ path: base.join('.') || '(body)', message: missing ? 'Required.' : issue.message }];
  });
