import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * `npm start` as a developer runs it: local/start.ts in its own process, so a test can stop
 * it with a signal (or kill it) and start it again on the same LOCAL_DATA_DIR.
 */
export interface LocalProcess {
  readonly apiUrl: string;
  readonly sesUrl: string;
  readonly stepFunctionsUrl: string;
  readonly output: () => string;
  /** Sends the signal and resolves with the exit code once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const exited = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

export const startLocalProcess = async (env: Record<string, string>): Promise<LocalProcess> => {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const sesPort = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      SES_PORT: String(sesPort),
      AWS_LAMBDA_LOG_LEVEL: 'ERROR',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const apiUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (!/Step Functions endpoint\s+(\S+)/.test(output)) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    apiUrl,
    sesUrl: `http://127.0.0.1:${sesPort}`,
    stepFunctionsUrl: /Step Functions endpoint\s+(\S+)/.exec(output)?.[1] as string,
    output: () => output,
    stop: (signal = 'SIGTERM') => {
      child.kill(signal);
      return exited(child);
    },
  };
};
