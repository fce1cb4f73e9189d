/**
 * The one catalog of functions. Each entry names its handler module, what triggers it and what
 * it uses; everything else comes from the entry:
 * - the API Gateway routes and the partner authorizer (infra/constructs/service-api.ts, and
 *   local/api-gateway.ts for the local stack),
 * - the ASL substitutions of the workflow's functions (infra/constructs/request-workflow.ts,
 *   local/stack.ts),
 * - the CDK function with only the settings its code reads, and the grants its uses imply
 *   (infra/smart-account-requests-stack.ts, infra/constructs/access-grants.ts),
 * - the permission tests (test/infra/permissions.test.ts, test/infra/handler-needs.test.ts).
 *
 * Adding a route means adding an entry here, the handler, and its tests. Plain data: infra/ and
 * local/ import it without aws-cdk-lib, and no handler module is loaded until `load` is called.
 */

export const Auth = {
  /** Behind the partner authorizer (`Authorization: Bearer <key>`). */
  PARTNER: 'partner',
  NONE: 'none',
} as const;
export type Auth = (typeof Auth)[keyof typeof Auth];

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Route {
  readonly method: HttpMethod;
  /** API Gateway resource path; `{name}` is a path parameter. */
  readonly path: string;
  readonly auth: Auth;
}

/** A route and the module serving it. */
export interface ServedRoute extends Route {
  readonly module: string;
}

/** The state machines: one execution per request, one per webhook delivery. */
export type WorkflowMachine = 'request' | 'delivery';

export const machineOf = (trigger: { readonly machine?: WorkflowMachine }): WorkflowMachine =>
  trigger.machine ?? 'request';

/** A `${...FunctionArn}` placeholder of a statemachines/*.asl.json file. */
export type WorkflowSubstitution = `${string}FunctionArn`;

/**
 * Events from AWS services, by what they are: SES feedback through an EventBridge rule, and
 * the table's stream records of requests DynamoDB's TTL deleted (retention).
 */
export type EventSource = 'sesFeedback' | 'requestExpiry';

export type Trigger =
  /** API Gateway proxy integration; one module may serve several routes. */
  | { readonly kind: 'routes'; readonly routes: readonly Route[] }
  /** The REQUEST authorizer of every `Auth.PARTNER` route. */
  | { readonly kind: 'authorizer' }
  /**
   * Invoked by a state machine at the task whose Resource is this substitution: the request's
   * (statemachines/smart-account-request.asl.json) unless `machine` says the delivery one.
   */
  | {
      readonly kind: 'workflowTask';
      readonly substitution: WorkflowSubstitution;
      readonly machine?: WorkflowMachine;
    }
  | { readonly kind: 'event'; readonly source: EventSource }
  /** Invoked at a fixed rate (an EventBridge rule on AWS, a timer in the local stack). */
  | { readonly kind: 'schedule'; readonly everyMinutes: number };

export type TriggerKind = Trigger['kind'];

/**
 * The table's secondary indexes (infra/table-schema.ts): GSI1 = a partner's requests, newest
 * first; the Partner* ones are the list's filters.
 */
export type TableIndex =
  | 'GSI1'
  | 'Sweep'
  | 'PendingDeliveries'
  | 'PartnerStatus'
  | 'PartnerDomain'
  | 'PartnerCustomer'
  | 'PartnerExpiry'
  | 'PartnerStatusExpiry';

/** Step Functions API calls, each granted on the one state machine. */
export type WorkflowCall =
  | 'startExecution'
  | 'describeExecution'
  | 'sendTaskSuccess'
  | 'sendTaskFailure';

/** What a function's code reaches; each use becomes exactly its grants and its settings. */
export interface Uses {
  /** The one table, item-level: `read` (get, query) or `readWrite`; never a read of the whole table. */
  readonly table?: 'read' | 'readWrite';
  /** Indexes it queries, each granted by exact ARN (no `index/*`). */
  readonly indexes?: readonly TableIndex[];
  readonly workflow?: readonly WorkflowCall[];
  /** SESv2 SendEmail through the sender identity and the configuration set. */
  readonly mail?: true;
  /** The activation-code HMAC key (Secrets Manager, read through the extension). */
  readonly activationSecret?: true;
  /** Builds links or checks the Origin against the public base URL. */
  readonly publicBaseUrl?: true;
  /** Computes `expiresAt` from the activation timeout. */
  readonly activationTimeout?: true;
  /** Plans reminders from the reminder offsets. */
  readonly reminders?: true;
  /** Publishes the events of its changes: PutEvents on the stack's bus. */
  readonly events?: true;
  /** Starts webhook deliveries: StartExecution on the delivery state machine. */
  readonly deliveries?: true;
  /** Plans delivery retries from WEBHOOK_RETRY_SECONDS. */
  readonly webhookRetries?: true;
  /** Dates a settled request's deletion from RETENTION_DAYS. */
  readonly retention?: true;
  /** Flushes the stage's authorizer cache (FlushStageAuthorizersCache: apigateway:DELETE). */
  readonly authorizerCache?: true;
}

// biome-ignore lint/suspicious/noExplicitAny: every handler takes its own event and result types
export type LambdaHandler = (event: any, context: any) => Promise<unknown>;

export interface FunctionEntry {
  /** Module path under functions/ without `.ts`: what the CDK bundles. */
  readonly module: string;
  /**
   * The same module as an import tsc resolves, so a misspelt handler is a compile error.
   * test/infra/catalog.test.ts checks it loads the module `module` names.
   */
  readonly load: () => Promise<{ readonly handler: LambdaHandler }>;
  readonly trigger: Trigger;
  readonly uses: Uses;
  /**
   * Seconds it may run, when not the default (API handlers 10, the others 30). Whatever
   * creates requests stays under the domain lock's orphan age (domain-lock.ts, 60 s).
   */
  readonly timeoutSeconds?: number;
}

const routes = (...list: Route[]): Trigger => ({ kind: 'routes', routes: list });
const partner = (method: HttpMethod, path: string): Route => ({ method, path, auth: Auth.PARTNER });
const open = (method: HttpMethod, path: string): Route => ({ method, path, auth: Auth.NONE });

const REQUESTS = '/v1/smart-account-requests';
const ENDPOINTS = '/v1/webhook-endpoints';
const API_KEYS = '/v1/api-keys';

export const catalog: readonly FunctionEntry[] = [
  {
    module: 'api/authorize-partner',
    load: () => import('./api/authorize-partner.ts'),
    trigger: { kind: 'authorizer' },
    // readWrite: a key's lastUsedAt (at most hourly), and a legacy key's id on its first use.
    uses: { table: 'readWrite' },
  },
  {
    module: 'api/health',
    load: () => import('./api/health.ts'),
    trigger: routes(open('GET', '/health')),
    uses: {},
  },
  {
    module: 'api/openapi',
    load: () => import('./api/openapi.ts'),
    trigger: routes(open('GET', '/openapi.json')),
    uses: {},
  },
  {
    module: 'console/serve-console',
    load: () => import('./console/serve-console.ts'),
    trigger: routes(open('GET', '/'), open('GET', '/console/{file}')),
    uses: {},
  },
  {
    module: 'api/create-request',
    load: () => import('./api/create-request.ts'),
    trigger: routes(partner('POST', REQUESTS)),
    // publicBaseUrl: the Location header.
    uses: {
      events: true,
      deliveries: true,
      table: 'readWrite',
      workflow: ['startExecution'],
      publicBaseUrl: true,
      activationTimeout: true,
      reminders: true,
    },
  },
  {
    module: 'api/create-batch',
    load: () => import('./api/create-batch.ts'),
    trigger: routes(partner('POST', `${REQUESTS}/batch`)),
    // Up to 100 creates: within API Gateway's 29 s, not a single create's 10.
    timeoutSeconds: 28,
    // As create, per item.
    uses: {
      events: true,
      deliveries: true,
      table: 'readWrite',
      workflow: ['startExecution'],
      activationTimeout: true,
      reminders: true,
    },
  },
  {
    module: 'api/list-requests',
    load: () => import('./api/list-requests.ts'),
    trigger: routes(partner('GET', REQUESTS)),
    uses: {
      table: 'read',
      indexes: [
        'GSI1',
        'PartnerStatus',
        'PartnerDomain',
        'PartnerCustomer',
        'PartnerExpiry',
        'PartnerStatusExpiry',
      ],
    },
  },
  {
    module: 'api/count-requests',
    load: () => import('./api/count-requests.ts'),
    trigger: routes(partner('GET', `${REQUESTS}/counts`)),
    uses: { table: 'read' },
  },
  {
    module: 'api/get-request',
    load: () => import('./api/get-request.ts'),
    trigger: routes(partner('GET', `${REQUESTS}/{id}`)),
    uses: { table: 'read' },
  },
  {
    module: 'api/cancel-request',
    load: () => import('./api/cancel-request.ts'),
    trigger: routes(partner('POST', `${REQUESTS}/{id}/cancel`)),
    uses: { table: 'readWrite', workflow: ['sendTaskFailure'] },
  },
  {
    module: 'api/extend-request',
    load: () => import('./api/extend-request.ts'),
    trigger: routes(partner('POST', `${REQUESTS}/{id}/extend`)),
    uses: { events: true, deliveries: true, table: 'readWrite', reminders: true },
  },
  {
    module: 'api/correct-request',
    load: () => import('./api/correct-request.ts'),
    trigger: routes(partner('PATCH', `${REQUESTS}/{id}`)),
    // A new customer address is mailed its new link at once.
    uses: {
      events: true,
      deliveries: true,
      table: 'readWrite',
      mail: true,
      activationSecret: true,
      publicBaseUrl: true,
    },
  },
  {
    module: 'api/request-timeline',
    load: () => import('./api/request-timeline.ts'),
    trigger: routes(partner('GET', `${REQUESTS}/{id}/events`)),
    uses: { table: 'read' },
  },
  {
    module: 'api/resend-activation',
    load: () => import('./api/resend-activation.ts'),
    trigger: routes(partner('POST', `${REQUESTS}/{id}/resend`)),
    uses: { table: 'readWrite', mail: true, activationSecret: true, publicBaseUrl: true },
  },
  {
    module: 'activation/show-activation',
    load: () => import('./activation/show-activation.ts'),
    trigger: routes(open('GET', '/activate/{code}'), open('HEAD', '/activate/{code}')),
    // readWrite: the per-client miss counter.
    uses: { table: 'readWrite', publicBaseUrl: true },
  },
  {
    module: 'activation/decide-activation',
    load: () => import('./activation/decide-activation.ts'),
    trigger: routes(open('POST', '/activate/{code}')),
    uses: {
      table: 'readWrite',
      workflow: ['sendTaskSuccess', 'sendTaskFailure'],
      publicBaseUrl: true,
    },
  },
  {
    module: 'workflow/wake',
    load: () => import('./workflow/wake.ts'),
    trigger: { kind: 'workflowTask', substitution: 'WakeFunctionArn' },
    // Sends the reminder that is due (the link again) and plans the next one.
    uses: {
      events: true,
      deliveries: true,
      table: 'readWrite',
      mail: true,
      activationSecret: true,
      publicBaseUrl: true,
      reminders: true,
    },
  },
  {
    module: 'workflow/send-activation',
    load: () => import('./workflow/send-activation.ts'),
    trigger: { kind: 'workflowTask', substitution: 'SendActivationFunctionArn' },
    uses: { table: 'readWrite', mail: true, activationSecret: true, publicBaseUrl: true },
  },
  {
    module: 'workflow/close-request',
    load: () => import('./workflow/close-request.ts'),
    trigger: { kind: 'workflowTask', substitution: 'CloseRequestFunctionArn' },
    uses: { table: 'readWrite' },
  },
  {
    module: 'workflow/settle-request',
    load: () => import('./workflow/settle-request.ts'),
    trigger: { kind: 'workflowTask', substitution: 'SettleRequestFunctionArn' },
    uses: { events: true, deliveries: true, table: 'readWrite', mail: true, retention: true },
  },
  {
    module: 'webhooks/deliver-webhook',
    load: () => import('./webhooks/deliver-webhook.ts'),
    trigger: {
      kind: 'workflowTask',
      substitution: 'DeliverWebhookFunctionArn',
      machine: 'delivery',
    },
    uses: { table: 'readWrite', webhookRetries: true },
  },
  {
    module: 'workflow/sweep-requests',
    load: () => import('./workflow/sweep-requests.ts'),
    trigger: { kind: 'schedule', everyMinutes: 5 },
    uses: {
      events: true,
      deliveries: true,
      table: 'readWrite',
      indexes: ['Sweep', 'PendingDeliveries'],
      workflow: ['startExecution', 'describeExecution', 'sendTaskSuccess', 'sendTaskFailure'],
    },
  },
  {
    module: 'events/forget-expired',
    load: () => import('./events/forget-expired.ts'),
    trigger: { kind: 'event', source: 'requestExpiry' },
    // Deletes the timeline, lock and code of a request TTL deleted; moves its counter.
    uses: { table: 'readWrite' },
  },
  {
    module: 'events/ses-feedback',
    load: () => import('./events/ses-feedback.ts'),
    trigger: { kind: 'event', source: 'sesFeedback' },
    uses: { table: 'readWrite', workflow: ['sendTaskFailure'] },
  },
  {
    module: 'api/webhooks/create-endpoint',
    load: () => import('./api/webhooks/create-endpoint.ts'),
    trigger: routes(partner('POST', ENDPOINTS)),
    // readWrite: the endpoint and its slot on the partner's profile.
    uses: { table: 'readWrite' },
  },
  {
    module: 'api/webhooks/list-endpoints',
    load: () => import('./api/webhooks/list-endpoints.ts'),
    trigger: routes(partner('GET', ENDPOINTS)),
    uses: { table: 'read' },
  },
  {
    module: 'api/webhooks/delete-endpoint',
    load: () => import('./api/webhooks/delete-endpoint.ts'),
    trigger: routes(partner('DELETE', `${ENDPOINTS}/{id}`)),
    uses: { table: 'readWrite' },
  },
  {
    module: 'api/webhooks/rotate-secret',
    load: () => import('./api/webhooks/rotate-secret.ts'),
    trigger: routes(partner('POST', `${ENDPOINTS}/{id}/rotate-secret`)),
    uses: { table: 'readWrite' },
  },
  {
    module: 'api/webhooks/test-endpoint',
    load: () => import('./api/webhooks/test-endpoint.ts'),
    trigger: routes(partner('POST', `${ENDPOINTS}/{id}/test`)),
    // Stores the test event's delivery and starts it.
    uses: { table: 'readWrite', deliveries: true },
  },
  {
    module: 'api/webhooks/list-deliveries',
    load: () => import('./api/webhooks/list-deliveries.ts'),
    trigger: routes(partner('GET', `${ENDPOINTS}/{id}/deliveries`)),
    uses: { table: 'read' },
  },
  {
    module: 'api/webhooks/redeliver',
    load: () => import('./api/webhooks/redeliver.ts'),
    trigger: routes(partner('POST', `${ENDPOINTS}/{id}/deliveries/{eventId}/redeliver`)),
    // Reopens the delivery and starts it again.
    uses: { table: 'readWrite', deliveries: true },
  },
  {
    module: 'api/api-keys/list-keys',
    load: () => import('./api/api-keys/list-keys.ts'),
    trigger: routes(partner('GET', API_KEYS)),
    uses: { table: 'read' },
  },
  {
    module: 'api/api-keys/create-key',
    load: () => import('./api/api-keys/create-key.ts'),
    trigger: routes(partner('POST', API_KEYS)),
    // readWrite: the key's items and its id in the profile's set.
    uses: { table: 'readWrite' },
  },
  {
    module: 'api/api-keys/revoke-key',
    load: () => import('./api/api-keys/revoke-key.ts'),
    trigger: routes(partner('DELETE', `${API_KEYS}/{id}`)),
    // The key answers 401 from the next request on: the cached Allow is flushed.
    uses: { table: 'readWrite', authorizerCache: true },
  },
];

/**
 * The environment variables each use puts into a function: exactly the names
 * functions/shared/config.ts reads for it (test/infra/handler-needs.test.ts checks every bundle
 * against this). Settings with a default in code (MAX_RESENDS, ...) are not deployed.
 */
export const SETTINGS_OF_USE = {
  table: ['TABLE_NAME'],
  indexes: [],
  workflow: ['STATE_MACHINE_ARN'],
  mail: ['SENDER_EMAIL', 'SES_CONFIGURATION_SET'],
  activationSecret: ['ACTIVATION_SECRET_ARN'],
  publicBaseUrl: ['PUBLIC_BASE_URL'],
  activationTimeout: ['ACTIVATION_TIMEOUT_SECONDS'],
  reminders: ['ACTIVATION_REMINDER_SECONDS'],
  events: ['EVENT_BUS_NAME'],
  deliveries: ['DELIVERY_STATE_MACHINE_ARN'],
  webhookRetries: ['WEBHOOK_RETRY_SECONDS'],
  retention: ['RETENTION_DAYS'],
  authorizerCache: ['REST_API_ID', 'STAGE_NAME'],
} as const satisfies Record<keyof Uses, readonly string[]>;

export type SettingName = (typeof SETTINGS_OF_USE)[keyof Uses][number];

const isUsed = (value: Uses[keyof Uses]): boolean =>
  Array.isArray(value) ? value.length > 0 : value !== undefined;

/** The settings a function with these uses gets, and no other. */
export const settingsOf = (uses: Uses): SettingName[] =>
  (Object.keys(SETTINGS_OF_USE) as (keyof Uses)[])
    .filter((use) => isUsed(uses[use]))
    .flatMap((use) => SETTINGS_OF_USE[use]);

export const entryOf = (module: string): FunctionEntry => {
  const entry = catalog.find((candidate) => candidate.module === module);
  if (!entry) throw new Error(`functions/${module}.ts is not in functions/catalog.ts`);
  return entry;
};

/** Every API route with the module that serves it, in catalog order. */
export const routeTable = (entries: readonly FunctionEntry[] = catalog): readonly ServedRoute[] =>
  entries.flatMap((entry) =>
    entry.trigger.kind === 'routes'
      ? entry.trigger.routes.map((route) => ({ ...route, module: entry.module }))
      : [],
  );

/** The entries triggered a given way, with the trigger narrowed to that kind. */
export const entriesTriggeredBy = <K extends TriggerKind>(
  kind: K,
  entries: readonly FunctionEntry[] = catalog,
): readonly (FunctionEntry & { readonly trigger: Extract<Trigger, { kind: K }> })[] =>
  entries.filter(
    (entry): entry is FunctionEntry & { readonly trigger: Extract<Trigger, { kind: K }> } =>
      entry.trigger.kind === kind,
  );

/** The one entry triggered this way; a catalog with none or several is a mistake. */
export const onlyEntryTriggeredBy = <K extends TriggerKind>(
  kind: K,
  entries: readonly FunctionEntry[] = catalog,
): FunctionEntry & { readonly trigger: Extract<Trigger, { kind: K }> } => {
  const found = entriesTriggeredBy(kind, entries);
  if (found.length !== 1 || !found[0]) {
    throw new Error(`functions/catalog.ts needs exactly one '${kind}' entry, has ${found.length}`);
  }
  return found[0];
};

/** `api/create-request` -> `ApiCreateRequest`: a stable construct id (and alarm name) per module. */
export const constructIdOf = (module: string): string =>
  module
    .split(/[/-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
