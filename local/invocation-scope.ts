import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Each local invocation's own Powertools state, kept the way Lambda keeps it for a function
 * that serves several invocations at once: while `AWS_LAMBDA_MAX_CONCURRENCY` is set, Powertools
 * keeps what belongs to one invocation (the Lambda context and the keys on its log lines, its
 * metrics) in Lambda's InvokeStore. The local stack runs every function in one process,
 * concurrently, with one logger; without this, one invocation's context and keys would land on
 * another's lines, and an invocation that ends would reset the keys of one still running.
 */
const REQUEST_ID = Symbol.for('_AWS_LAMBDA_REQUEST_ID');

type Slots = Record<symbol, unknown>;

const invocations = new AsyncLocalStorage<Slots>();

/** The part of Lambda's InvokeStore that Powertools reads and writes. */
const invokeStore = {
  hasContext: (): boolean => invocations.getStore() !== undefined,
  get: (key: symbol): unknown => invocations.getStore()?.[key],
  set: (key: symbol, value: unknown): void => {
    const slots = invocations.getStore();
    if (!slots) throw new Error('No invocation to keep state for');
    slots[key] = value;
  },
  getRequestId: (): string => String(invocations.getStore()?.[REQUEST_ID] ?? '-'),
  getXRayTraceId: (): string | undefined => undefined,
};

/**
 * Puts the store where Powertools looks for it and returns the setting that makes Powertools
 * use it; both before any handler runs (Powertools throws if the setting comes without the store).
 */
export const scopeInvocations = (): { AWS_LAMBDA_MAX_CONCURRENCY: string } => {
  const global = globalThis as { awslambda?: Record<string, unknown> };
  global.awslambda ??= {};
  global.awslambda.InvokeStore = invokeStore;
  return { AWS_LAMBDA_MAX_CONCURRENCY: '100' };
};

/** Runs one invocation with state of its own. */
export const inInvocation = <T>(requestId: string, run: () => T): T =>
  invocations.run({ [REQUEST_ID]: requestId }, run);
