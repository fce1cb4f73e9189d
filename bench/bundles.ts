import { execFileSync } from 'node:child_process';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * What the CDK stack deploys: infra/constructs/handler-function.ts uses Runtime.NODEJS_24_X,
 * from which NodejsFunction derives esbuild's `--target=node24`.
 */
export const LAMBDA_TARGET = 'node24';

/** The parts of aws-lambda-nodejs BundlingOptions that change the bundle (infra/constructs/bundling.ts). */
interface CdkBundling {
  readonly format?: string;
  readonly mainFields?: readonly string[];
  readonly banner?: string;
  readonly footer?: string;
  readonly minify?: boolean;
  readonly sourceMap?: boolean;
  readonly sourcesContent?: boolean;
  readonly keepNames?: boolean;
  readonly target?: string;
  readonly externalModules?: readonly string[];
  readonly bundleAwsSDK?: boolean;
  readonly define?: Record<string, string>;
  readonly loader?: Record<string, string>;
  readonly commandHooks?: {
    afterBundling(inputDir: string, outputDir: string): string[];
  };
}

export interface BundlePlan {
  /** Handler modules under functions/, e.g. `api/create-request`. */
  readonly modules: readonly string[];
  readonly bundlingFor: (module: string) => CdkBundling;
  /** Where the list and the options came from. */
  readonly source: string;
}

/** Same options infra/constructs/bundling.ts sets, for when infra/ cannot be loaded. */
const FALLBACK_BUNDLING: CdkBundling = {
  format: 'esm',
  mainFields: ['module', 'main'],
  banner:
    "import { createRequire as __bannerCreateRequire } from 'node:module'; const require = __bannerCreateRequire(import.meta.url);",
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  keepNames: true,
  bundleAwsSDK: true,
};

/**
 * The handler list (functions/catalog.ts) and the bundling options the CDK app uses
 * (infra/constructs/bundling.ts), so the benchmark measures exactly what `cdk synth` bundles.
 * Falls back to equivalent options while infra/ is not loadable.
 */
export const loadBundlePlan = async (): Promise<BundlePlan> => {
  const { catalog } = await import('../functions/catalog.ts');
  const modules = catalog.map((entry) => entry.module);
  try {
    const bundling = await import('../infra/constructs/bundling.ts');
    return {
      modules,
      bundlingFor: (module) => bundling.bundlingFor(module) as unknown as CdkBundling,
      source: 'functions/catalog.ts + infra/constructs/bundling.ts',
    };
  } catch (error) {
    return {
      modules,
      bundlingFor: () => FALLBACK_BUNDLING,
      source: `functions/catalog.ts + built-in options (infra/ not loadable: ${String(error)})`,
    };
  }
};

/** The esbuild options NodejsFunction passes for these BundlingOptions. */
export const esbuildOptionsFor = (bundling: CdkBundling): BuildOptions => ({
  bundle: true,
  platform: 'node',
  target: bundling.target ?? LAMBDA_TARGET,
  format: bundling.format === 'esm' ? 'esm' : 'cjs',
  mainFields: bundling.mainFields ? [...bundling.mainFields] : undefined,
  banner: bundling.banner ? { js: bundling.banner } : undefined,
  footer: bundling.footer ? { js: bundling.footer } : undefined,
  minify: bundling.minify ?? false,
  sourcemap: bundling.sourceMap ?? false,
  sourcesContent: bundling.sourcesContent ?? true,
  keepNames: bundling.keepNames ?? false,
  external: [...(bundling.externalModules ?? (bundling.bundleAwsSDK ? [] : ['@aws-sdk/*']))],
  define: bundling.define,
  loader: bundling.loader as BuildOptions['loader'],
  logLevel: 'warning',
  absWorkingDir: PROJECT_ROOT,
});

export interface Bundle {
  readonly name: string;
  /** The bundle's entry file (index.mjs or index.js). */
  readonly file: string;
  readonly bytes: number;
  /** Largest inputs by bytes in the output, for the report. */
  readonly topInputs: readonly { readonly path: string; readonly bytes: number }[];
}

const writeBundle = async (
  name: string,
  outDir: string,
  options: BuildOptions,
  entry: BuildOptions['entryPoints'] | BuildOptions['stdin'],
  afterBundling?: (outputDir: string) => void,
): Promise<Bundle> => {
  await mkdir(outDir, { recursive: true });
  const file = join(outDir, options.format === 'esm' ? 'index.mjs' : 'index.js');
  const result = await build({
    ...options,
    ...(Array.isArray(entry) ? { entryPoints: entry } : { stdin: entry as BuildOptions['stdin'] }),
    outfile: file,
    metafile: true,
  });
  afterBundling?.(outDir);
  const output = Object.values(result.metafile.outputs).find((out) => out.entryPoint !== undefined);
  const topInputs = Object.entries(output?.inputs ?? {})
    .map(([path, input]) => ({ path, bytes: input.bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 5);
  return { name, file, bytes: (await stat(file)).size, topInputs };
};

/** Bundles every handler module into `<dir>/<module>/`, like `cdk synth` does into cdk.out. */
export const bundleHandlers = (plan: BundlePlan, dir: string): Promise<Bundle[]> =>
  Promise.all(
    plan.modules.map((module) => {
      const bundling = plan.bundlingFor(module);
      const outDir = join(dir, module.replaceAll('/', '-'));
      const hooks = bundling.commandHooks;
      return writeBundle(
        module,
        outDir,
        esbuildOptionsFor(bundling),
        [join(PROJECT_ROOT, 'functions', `${module}.ts`)],
        hooks
          ? (outputDir) => {
              // NodejsFunction runs these hooks in a shell after esbuild (e.g. copying assets).
              for (const command of hooks.afterBundling(PROJECT_ROOT, outputDir)) {
                execFileSync('sh', ['-c', command], { stdio: 'ignore' });
              }
            }
          : undefined,
      );
    }),
  );

/** The yardstick: one SDK v3 client and nothing else, bundled with the handlers' options. */
export const REFERENCE_SOURCE = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
export const client = new DynamoDBClient({});
export const handler = async () => ({ statusCode: 200 });
`;

export const REFERENCE_NAME = 'reference: new DynamoDBClient({})';

export const bundleReference = (plan: BundlePlan, dir: string): Promise<Bundle> => {
  const first = plan.modules[0];
  const options = esbuildOptionsFor(first ? plan.bundlingFor(first) : FALLBACK_BUNDLING);
  return writeBundle(REFERENCE_NAME, join(dir, 'reference-dynamodb-client'), options, {
    contents: REFERENCE_SOURCE,
    resolveDir: PROJECT_ROOT,
    sourcefile: 'reference.ts',
    loader: 'ts',
  });
};
