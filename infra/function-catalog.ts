import {
  authorizerHandler,
  eventFunctions,
  routes,
  workflowFunctions,
} from '../functions/routes.ts';

/** What a function may touch: the "needs" column of the table in docs/architecture.md. */
export interface FunctionAccess {
  readonly table?: 'read' | 'readWrite';
  /** Query the partner-requests index (GSI1). */
  readonly partnerRequestsIndex?: boolean;
  readonly startExecution?: boolean;
  readonly sendTaskSuccess?: boolean;
  readonly sendTaskFailure?: boolean;
  readonly sendEmail?: boolean;
  readonly activationSecret?: boolean;
}

/**
 * Least privilege per handler module. A handler that routes.ts names but this table does not
 * fails the synth, so a new route cannot ship with silently missing (or borrowed) permissions.
 */
export const FUNCTION_ACCESS: Readonly<Record<string, FunctionAccess>> = {
  'api/authorize-partner': { table: 'read' },
  'api/create-request': { table: 'readWrite', startExecution: true },
  'api/get-request': { table: 'read' },
  'api/list-requests': { table: 'read', partnerRequestsIndex: true },
  'api/cancel-request': { table: 'readWrite', sendTaskFailure: true },
  'api/resend-activation': { table: 'readWrite', sendEmail: true, activationSecret: true },
  'api/openapi': {},
  'api/health': {},
  'console/serve-console': {},
  'activation/show-activation': { table: 'readWrite' },
  'activation/decide-activation': {
    table: 'readWrite',
    sendTaskSuccess: true,
    sendTaskFailure: true,
  },
  'workflow/send-activation': { table: 'readWrite', sendEmail: true, activationSecret: true },
  'workflow/close-request': { table: 'readWrite' },
  'workflow/settle-request': { table: 'readWrite', sendEmail: true },
  'events/ses-feedback': { table: 'readWrite', sendTaskFailure: true },
};

/** Every handler module the system deploys, each once, in a stable order. */
export const handlerModules = (): readonly string[] => [
  ...new Set([
    authorizerHandler,
    ...routes.map((route) => route.handler),
    ...Object.values(workflowFunctions),
    ...Object.values(eventFunctions),
  ]),
];

export const accessOf = (module: string): FunctionAccess => {
  const access = FUNCTION_ACCESS[module];
  if (!access) {
    throw new Error(
      `functions/${module}.ts has no entry in FUNCTION_ACCESS (infra/function-catalog.ts)`,
    );
  }
  return access;
};

/** `api/create-request` -> `ApiCreateRequest`: a stable construct id per module. */
export const constructIdOf = (module: string): string =>
  module
    .split(/[/-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
