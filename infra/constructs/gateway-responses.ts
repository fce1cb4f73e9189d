import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { jsonSecurityHeaders } from '../../functions/http/security-headers.ts';

interface GatewayProblem {
  readonly type: apigw.ResponseType;
  readonly status: number;
  readonly slug: string;
  readonly title: string;
  /** Fixed text when API Gateway's own message would mislead the client. */
  readonly detail?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const BEARER_CHALLENGE = { 'WWW-Authenticate': 'Bearer' };
const UNAUTHORIZED_DETAIL = 'Send a valid partner API key as "Authorization: Bearer <key>".';

/**
 * Errors API Gateway answers itself, before or instead of a handler. Each gets the same
 * problem+json shape the handlers produce (functions/http/problem.ts); errorId is the API
 * Gateway request id, the `requestId` field of the access log.
 */
export const GATEWAY_PROBLEMS: readonly GatewayProblem[] = [
  {
    type: apigw.ResponseType.UNAUTHORIZED,
    status: 401,
    slug: 'unauthenticated',
    title: 'Unauthorized',
    detail: UNAUTHORIZED_DETAIL,
    headers: BEARER_CHALLENGE,
  },
  // An authorizer Deny must read as "unknown key" (401, contract), not 403: there are no
  // resource policies or IAM callers that could produce any other ACCESS_DENIED here.
  {
    type: apigw.ResponseType.ACCESS_DENIED,
    status: 401,
    slug: 'unauthenticated',
    title: 'Unauthorized',
    detail: UNAUTHORIZED_DETAIL,
    headers: BEARER_CHALLENGE,
  },
  // API Gateway answers an unknown path with 403 "Missing Authentication Token".
  {
    type: apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN,
    status: 404,
    slug: 'not-found',
    title: 'Not found',
    detail: 'No such resource.',
  },
  {
    type: apigw.ResponseType.RESOURCE_NOT_FOUND,
    status: 404,
    slug: 'not-found',
    title: 'Not found',
  },
  {
    type: apigw.ResponseType.BAD_REQUEST_PARAMETERS,
    status: 400,
    slug: 'validation-failed',
    title: 'Invalid request',
  },
  {
    type: apigw.ResponseType.BAD_REQUEST_BODY,
    status: 400,
    slug: 'validation-failed',
    title: 'Invalid request',
  },
  {
    type: apigw.ResponseType.REQUEST_TOO_LARGE,
    status: 413,
    slug: 'payload-too-large',
    title: 'Payload too large',
  },
  {
    type: apigw.ResponseType.UNSUPPORTED_MEDIA_TYPE,
    status: 415,
    slug: 'unsupported-media-type',
    title: 'Unsupported media type',
  },
  {
    type: apigw.ResponseType.THROTTLED,
    status: 429,
    slug: 'too-many-requests',
    title: 'Too many requests',
    headers: { 'Retry-After': '1' },
  },
  // The web ACL holds only rate-based rules, so a block always means "too many requests".
  {
    type: apigw.ResponseType.WAF_FILTERED,
    status: 429,
    slug: 'too-many-requests',
    title: 'Too many requests',
    detail: 'Request rate limit exceeded; retry later.',
    headers: { 'Retry-After': '60' },
  },
  {
    type: apigw.ResponseType.API_CONFIGURATION_ERROR,
    status: 500,
    slug: 'internal-error',
    title: 'Internal error',
  },
  {
    type: apigw.ResponseType.AUTHORIZER_FAILURE,
    status: 500,
    slug: 'internal-error',
    title: 'Internal error',
  },
  {
    type: apigw.ResponseType.AUTHORIZER_CONFIGURATION_ERROR,
    status: 500,
    slug: 'internal-error',
    title: 'Internal error',
  },
  {
    type: apigw.ResponseType.INTEGRATION_FAILURE,
    status: 504,
    slug: 'internal-error',
    title: 'Internal error',
  },
  {
    type: apigw.ResponseType.INTEGRATION_TIMEOUT,
    status: 504,
    slug: 'internal-error',
    title: 'Internal error',
  },
];

/**
 * Catch-alls for the types above does not list (IAM signatures, API keys: unused here). Their
 * status is whatever API Gateway chose, which a template cannot read, so the body omits it.
 */
const DEFAULT_PROBLEMS = [
  { type: apigw.ResponseType.DEFAULT_4XX, slug: 'bad-request', title: 'Bad request' },
  { type: apigw.ResponseType.DEFAULT_5XX, slug: 'internal-error', title: 'Internal error' },
] as const;

const NO_STORE = { 'Cache-Control': 'no-store', ...jsonSecurityHeaders };

const quoted = (headers: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, `'${value}'`]));

const problemTemplate = (problem: {
  slug: string;
  title: string;
  status?: number;
  detail?: string;
}): string => {
  const fields = [
    `"type":"urn:smart-account-requests:problem:${problem.slug}"`,
    `"title":${JSON.stringify(problem.title)}`,
    ...(problem.status === undefined ? [] : [`"status":${problem.status}`]),
    // messageString is API Gateway's message already as a quoted, escaped JSON string.
    `"detail":${problem.detail === undefined ? '$context.error.messageString' : JSON.stringify(problem.detail)}`,
    '"errorId":"$context.requestId"',
  ];
  return `{${fields.join(',')}}`;
};

export const addProblemGatewayResponses = (api: apigw.RestApi): void => {
  for (const problem of GATEWAY_PROBLEMS) {
    api.addGatewayResponse(problem.type.responseType, {
      type: problem.type,
      statusCode: String(problem.status),
      responseHeaders: quoted({
        'Content-Type': 'application/problem+json',
        ...NO_STORE,
        ...problem.headers,
      }),
      templates: { 'application/json': problemTemplate(problem) },
    });
  }
  for (const problem of DEFAULT_PROBLEMS) {
    api.addGatewayResponse(problem.type.responseType, {
      type: problem.type,
      responseHeaders: quoted({ 'Content-Type': 'application/problem+json', ...NO_STORE }),
      templates: { 'application/json': problemTemplate(problem) },
    });
  }
};
