import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Bundle } from './bundles.ts';
import { interleavedOrder, median } from './stats.ts';

/**
 * A fresh process imports the bundle the way the Lambda runtime does (a dynamic import of
 * index.mjs) and reports how long the import took, measured inside the process.
 */
const LOADER = `const started = performance.now();
await import(process.argv[2]);
const imported = performance.now();
process.stdout.write(JSON.stringify({ importMs: imported - started }));
`;

/**
 * What every function gets from infra/constructs/handler-function.ts, plus enough
 * configuration for module-scope code to run. No AWS call may happen at import; the endpoint
 * points at a closed port so one would fail fast instead of reaching AWS.
 */
const LOAD_ENV: Record<string, string> = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  TABLE_NAME: 'bench',
  STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:bench',
  DELIVERY_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:bench-delivery',
  EVENT_BUS_NAME: 'bench',
  SENDER_EMAIL: 'bench@example.com',
  PUBLIC_BASE_URL: 'https://bench.example',
  ACTIVATION_SECRET: 'bench-secret',
  // What Lambda sets from the function's applicationLogLevelV2.
  AWS_LAMBDA_LOG_LEVEL: 'INFO',
};

export interface LoadSample {
  /** The dynamic import inside the fresh process. */
  readonly importMs: number;
  /** Spawn to exit, seen from the parent: Node's own start-up plus the import. */
  readonly processMs: number;
}

/** What Lambda runs the bundles with: infra/constructs/handler-function.ts sets NODE_OPTIONS. */
export const LAMBDA_NODE_OPTIONS = '--enable-source-maps';

/** A bundle and the NODE_OPTIONS to load it with. */
export interface LoadTarget extends Bundle {
  readonly nodeOptions?: string;
}

const loadOnce = (loader: string, bundle: LoadTarget): Promise<LoadSample> =>
  new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const child = spawn(process.execPath, [loader, pathToFileURL(bundle.file).href], {
      env: {
        PATH: process.env.PATH ?? '',
        ...LOAD_ENV,
        NODE_OPTIONS: bundle.nodeOptions ?? LAMBDA_NODE_OPTIONS,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const processMs = performance.now() - startedAt;
      if (code !== 0) {
        reject(new Error(`Loading ${bundle.name} exited with ${code}: ${stderr.slice(0, 500)}`));
        return;
      }
      try {
        const { importMs } = JSON.parse(stdout) as { importMs: number };
        resolve({ importMs, processMs });
      } catch {
        reject(new Error(`Loading ${bundle.name} printed ${stdout.slice(0, 200)}`));
      }
    });
  });

export interface LoadResult {
  readonly bundle: LoadTarget;
  readonly importMs: number;
  readonly processMs: number;
  readonly samples: readonly LoadSample[];
}

/**
 * Loads every bundle `rounds` times in fresh processes, one at a time, interleaved and
 * rotating, so the reference and the handlers share the same conditions. Returns medians.
 */
export const measureLoads = async (
  bundles: readonly LoadTarget[],
  dir: string,
  rounds: number,
  warmups = 2,
): Promise<LoadResult[]> => {
  const loader = join(dir, 'load.mjs');
  await writeFile(loader, LOADER);
  const samples = new Map<LoadTarget, LoadSample[]>(bundles.map((bundle) => [bundle, []]));
  // Node's own start-up files into the page cache before timing anything (esbuild has just
  // written the bundles, so they are cached already).
  const first = bundles[0];
  for (let i = 0; first && i < warmups; i++) await loadOnce(loader, first);
  for (const bundle of interleavedOrder(bundles, rounds)) {
    samples.get(bundle)?.push(await loadOnce(loader, bundle));
  }
  return bundles.map((bundle) => {
    const runs = samples.get(bundle) ?? [];
    return {
      bundle,
      importMs: median(runs.map((run) => run.importMs)),
      processMs: median(runs.map((run) => run.processMs)),
      samples: runs,
    };
  });
};
