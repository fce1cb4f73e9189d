/**
 * The one route table. The CDK stack builds API Gateway resources from it and the local
 * stack dispatches HTTP requests with it, so a route cannot exist in one and not the other.
 * `handler` is the module path under functions/ (without .ts) exporting `handler`.
 */
export const Auth = {
  PARTNER: 'partner',
  NONE: 'none',
} as const;
export type Auth = (typeof Auth)[keyof typeof Auth];

export interface Route {
  readonly method: 'GET' | 'POST' | 'HEAD';
  readonly path: string;
  readonly handler: string;
  readonly auth: Auth;
}

export const routes: readonly Route[] = [
  { method: 'GET', path: '/health', handler: 'api/health', auth: Auth.NONE },
  { method: 'GET', path: '/openapi.json', handler: 'api/openapi', auth: Auth.NONE },
  { method: 'GET', path: '/', handler: 'console/serve-console', auth: Auth.NONE },
  { method: 'GET', path: '/console/{file}', handler: 'console/serve-console', auth: Auth.NONE },
  {
    method: 'POST',
    path: '/v1/smart-account-requests',
    handler: 'api/create-request',
    auth: Auth.PARTNER,
  },
  {
    method: 'GET',
    path: '/v1/smart-account-requests',
    handler: 'api/list-requests',
    auth: Auth.PARTNER,
  },
  {
    method: 'GET',
    path: '/v1/smart-account-requests/{id}',
    handler: 'api/get-request',
    auth: Auth.PARTNER,
  },
  {
    method: 'POST',
    path: '/v1/smart-account-requests/{id}/cancel',
    handler: 'api/cancel-request',
    auth: Auth.PARTNER,
  },
  {
    method: 'POST',
    path: '/v1/smart-account-requests/{id}/resend',
    handler: 'api/resend-activation',
    auth: Auth.PARTNER,
  },
  {
    method: 'GET',
    path: '/activate/{code}',
    handler: 'activation/show-activation',
    auth: Auth.NONE,
  },
  {
    method: 'HEAD',
    path: '/activate/{code}',
    handler: 'activation/show-activation',
    auth: Auth.NONE,
  },
  {
    method: 'POST',
    path: '/activate/{code}',
    handler: 'activation/decide-activation',
    auth: Auth.NONE,
  },
];

/** The partner authorizer (API Gateway REQUEST authorizer) for every `Auth.PARTNER` route. */
export const authorizerHandler = 'api/authorize-partner';

/** Lambdas the state machine invokes, by the ASL substitution that carries their ARN. */
export const workflowFunctions = {
  SendActivationFunctionArn: 'workflow/send-activation',
  CloseRequestFunctionArn: 'workflow/close-request',
  SettleRequestFunctionArn: 'workflow/settle-request',
} as const;

/** Lambdas triggered by events (EventBridge). */
export const eventFunctions = {
  sesFeedback: 'events/ses-feedback',
} as const;
