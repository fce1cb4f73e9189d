import { randomUUID } from 'node:crypto';
import {
  catalog,
  entriesTriggeredBy,
  entryOf,
  type FunctionEntry,
  type LambdaHandler,
} from '../functions/catalog.ts';
import { inInvocation } from './invocation-scope.ts';
import { lambdaContext } from './lambda-context.ts';

const loaded = new Map<string, Promise<LambdaHandler>>();

/** Local name of a function: its module path with slashes as dashes (api/get-request -> api-get-request). */
export const functionName = (module: string): string => module.replaceAll('/', '-');

export const localFunctionArn = (module: string): string =>
  `arn:aws:lambda:us-east-1:000000000000:function:${functionName(module)}`;

/**
 * Loads a handler through its catalog entry (functions/catalog.ts) on first use, after the
 * stack has set the environment, exactly as Lambda would import the bundle in a fresh
 * container. A module the catalog does not list is not a function, here as on AWS.
 */
export const loadHandler = (module: string): Promise<LambdaHandler> => {
  let handler = loaded.get(module);
  if (!handler) {
    handler = entryOf(module)
      .load()
      .then((imported) => imported.handler);
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
const inFlight = new Set<Promise<unknown>>();

/**
 * Resolves once every invocation running now has returned (bounded by `timeoutMs`): a stopping
 * stack lets them finish their writes before it closes the table under them.
 */
export const invocationsSettled = async (timeoutMs = 5_000): Promise<void> => {
  const running = Promise.allSettled([...inFlight]);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([running, timeout]);
  clearTimeout(timer);
};

export const invokeHandler = (module: string, event: unknown): Promise<unknown> => {
  const invocation = invokeOnce(module, event);
  inFlight.add(invocation);
  const forget = () => inFlight.delete(invocation);
  invocation.then(forget, forget);
  return invocation;
};

const invokeOnce = async (module: string, event: unknown): Promise<unknown> => {
  const handler = await loadHandler(module);
  const startedAt = performance.now();
  let failed = true;
  try {
    const context = lambdaContext(functionName(module));
    // Its own logger context, keys and metrics, although other invocations run meanwhile.
    const result = await inInvocation(context.awsRequestId, () =>
      handler(JSON.parse(JSON.stringify(event)), context),
    );
    failed = false;
    return result === undefined ? null : JSON.parse(JSON.stringify(result));
  } finally {
    invocationObserver?.({ module, durationMs: performance.now() - startedAt, failed });
  }
};

/** What EventBridge sends a rule's target on schedule. */
const scheduledEvent = (module: string) => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '000000000000',
  time: new Date().toISOString(),
  region: 'us-east-1',
  resources: [`arn:aws:events:us-east-1:000000000000:rule/${functionName(module)}`],
  detail: {},
});

/**
 * Invokes every `schedule` entry of the catalog at its rate, as its EventBridge rule does on
 * AWS (`periodMs` shortens it, e.g. SWEEP_INTERVAL_SECONDS in tests). A failed run is reported
 * and the next one comes at the next tick, as with the rule's zero retries; a run still going
 * at the next tick is not doubled. Returns the function that stops them.
 */
export const startSchedules = (
  entries: readonly FunctionEntry[] = catalog,
  invoke: (module: string, event: unknown) => Promise<unknown> = invokeHandler,
  periodMs?: number,
): (() => void) => {
  const timers = entriesTriggeredBy('schedule', entries).map((entry) => {
    let running = false;
    const timer = setInterval(
      () => {
        if (running) return;
        running = true;
        invoke(entry.module, scheduledEvent(entry.module))
          .catch((error: unknown) => {
            console.error(`[schedule] ${entry.module} failed`, error);
          })
          .finally(() => {
            running = false;
          });
      },
      periodMs ?? entry.trigger.everyMinutes * 60_000,
    );
    // A schedule alone does not keep the process alive.
    timer.unref();
    return timer;
  });
  return () => {
    for (const timer of timers) clearInterval(timer);
  };
};
