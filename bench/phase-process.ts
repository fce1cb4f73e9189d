import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * A local stack sets process-wide SDK endpoints, so every phase that needs one runs it in its
 * own Node process (TypeScript through tsx). The parent drives it with small RPC messages.
 */
type Message =
  | { readonly kind: 'ready'; readonly info: unknown }
  | { readonly kind: 'result'; readonly id: number; readonly value: unknown }
  | { readonly kind: 'error'; readonly id: number; readonly message: string };

export interface PhaseProcess<Info> {
  readonly info: Info;
  call<T>(method: string, argument?: unknown): Promise<T>;
  /** Asks the phase to stop its stack, then waits for the process to exit. */
  close(): Promise<void>;
}

export const startPhase = <Info>(
  entry: string,
  args: readonly string[] = [],
): Promise<PhaseProcess<Info>> =>
  new Promise((resolve, reject) => {
    const child: ChildProcess = fork(fileURLToPath(new URL(entry, import.meta.url)), [...args], {
      // Resolved here, so the phase starts whatever the working directory is.
      execArgv: ['--import', import.meta.resolve('tsx')],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    let nextId = 0;
    const pending = new Map<
      number,
      { resolve: (value: unknown) => void; reject: (error: Error) => void }
    >();
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.once('exit', (code) => {
      const error = new Error(`Phase ${entry} exited with ${code}`);
      for (const waiter of pending.values()) waiter.reject(error);
      reject(error);
    });
    child.on('message', (message: Message) => {
      if (message.kind === 'ready') {
        resolve({
          info: message.info as Info,
          call: <T>(method: string, argument?: unknown) =>
            new Promise<T>((done, fail) => {
              const id = nextId++;
              pending.set(id, { resolve: done as (value: unknown) => void, reject: fail });
              child.send({ id, method, argument });
            }),
          close: async () => {
            if (child.exitCode === null) child.send({ id: -1, method: 'stop' });
            await exited;
          },
        });
        return;
      }
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.kind === 'result') waiter?.resolve(message.value);
      else waiter?.reject(new Error(message.message));
    });
  });

/** Child side: announce `info`, then answer calls until `stop`. */
export const servePhase = (
  info: unknown,
  methods: Record<string, (argument: unknown) => unknown>,
  stop: () => Promise<void>,
): void => {
  const send = (message: Message) => process.send?.(message);
  process.on('message', (message: { id: number; method: string; argument?: unknown }) => {
    if (message.method === 'stop') {
      stop().finally(() => process.exit(0));
      return;
    }
    const method = methods[message.method];
    Promise.resolve()
      .then(() => {
        if (!method) throw new Error(`Unknown method ${message.method}`);
        return method(message.argument);
      })
      .then(
        (value) => send({ kind: 'result', id: message.id, value }),
        (error: unknown) =>
          send({
            kind: 'error',
            id: message.id,
            message: error instanceof Error ? (error.stack ?? error.message) : String(error),
          }),
      );
  });
  // The parent went away: do not linger with open servers.
  process.on('disconnect', () => {
    stop().finally(() => process.exit(0));
  });
  send({ kind: 'ready', info });
};
