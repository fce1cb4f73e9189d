import { lambdaContext } from './lambda-context.ts';

// biome-ignore lint/suspicious/noExplicitAny: handlers take different event types
type Handler = (event: any, context: any) => Promise<any>;

const loaded = new Map<string, Promise<Handler>>();

/** Local name of a function: its module path with slashes as dashes (api/get-request -> api-get-request). */
export const functionName = (module: string): string => module.replaceAll('/', '-');

export const localFunctionArn = (module: string): string =>
  `arn:aws:lambda:us-east-1:000000000000:function:${functionName(module)}`;

/**
 * Loads handler modules from functions/ on first use, after the stack has set the environment,
 * exactly as Lambda would import the bundle in a fresh container.
 */
export const loadHandler = (module: string): Promise<Handler> => {
  let handler = loaded.get(module);
  if (!handler) {
    handler = import(
      /* @vite-ignore */ new URL(`../functions/${module}.ts`, import.meta.url).href
    ).then((imported: { handler: Handler }) => imported.handler);
    loaded.set(module, handler);
  }
  return handler;
};

/** One finished invocation, as an invocation observer sees it. */
export interface InvocationRecord {
  readonly module: string;
  /** Time in the handler itself, without the first-use import. */
  readonly durationMs: number;
  readonly failed: boolean;
}

let invocationObserver: ((record: InvocationRecord) => void) | undefined;

/** Opt-in: `npm run bench` counts invocations and their duration. Off (undefined) by default. */
export const observeInvocations = (observer?: (record: InvocationRecord) => void): void => {
  invocationObserver = observer;
};

/** Invokes like Lambda: the event and the result cross a JSON boundary. */
export const invokeHandler = async (module: string, event: unknown): Promise<unknown> => {
  const handler = await loadHandler(module);
  const startedAt = performance.now();
  let failed = true;
  try {
    const result = await handler(
      JSON.parse(JSON.stringify(event)),
      lambdaContext(functionName(module)),
    );
    failed = false;
    return result === undefined ? null : JSON.parse(JSON.stringify(result));
  } finally {
    invocationObserver?.({ module, durationMs: performance.now() - startedAt, failed });
  }
};
