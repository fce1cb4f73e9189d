import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BundlingOptions, LogLevel, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';

/** The repository root: entries, package-lock.json and tsconfig.json are resolved from it. */
export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const entryOf = (module: string): string => join(PROJECT_ROOT, 'functions', `${module}.ts`);

/** Modules that read files next to their bundle at run time, and the folder they read. */
const STATIC_ASSETS: Readonly<Record<string, string>> = {
  // serve-console reads new URL('./assets/<file>', import.meta.url).
  'console/serve-console': 'functions/console/assets',
};

/**
 * Package files a module reads at run time through `createRequire(import.meta.url).resolve`,
 * which esbuild does not follow: they are shipped under `node_modules/` beside the bundle, where
 * the same resolve finds them on Lambda.
 */
const PACKAGE_FILES: Readonly<Record<string, readonly string[]>> = {
  // serve-console serves Papa Parse's browser build to the console's CSV upload.
  'console/serve-console': ['papaparse/papaparse.min.js', 'papaparse/LICENSE'],
};

const resolveFromRoot = createRequire(join(PROJECT_ROOT, 'package.json')).resolve;

/**
 * Copies a package file from the input to `node_modules/<package>/<file>` of the output. The
 * input directory is PROJECT_ROOT as the bundling sees it, so the path is taken relative to it.
 */
const copyPackageFile = (inputDir: string, outputDir: string, file: string): string => {
  const source = join(inputDir, relative(PROJECT_ROOT, resolveFromRoot(file)));
  const target = join(outputDir, 'node_modules', file);
  return `mkdir -p "${dirname(target)}" && cp "${source}" "${target}"`;
};

/**
 * Bundles are ESM (`index.mjs`) because the handlers use `import.meta.url`. The banner gives
 * CommonJS dependencies a `require` for Node built-ins, which ESM output does not have.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __bannerCreateRequire } from 'node:module'; const require = __bannerCreateRequire(import.meta.url);";

export const bundlingFor = (module: string): BundlingOptions => {
  const assets = STATIC_ASSETS[module];
  const packageFiles = PACKAGE_FILES[module] ?? [];
  return {
    format: OutputFormat.ESM,
    mainFields: ['module', 'main'],
    banner: ESM_REQUIRE_BANNER,
    minify: true,
    sourceMap: true,
    // Stack traces map to file:line without shipping the sources in every bundle.
    sourcesContent: false,
    // The state machine's Retry/Catch match error names; minifying must not rename them.
    keepNames: true,
    // Pin the SDK version we test against instead of whatever the runtime ships; only what is
    // imported gets bundled.
    bundleAwsSDK: true,
    logLevel: LogLevel.WARNING,
    ...((assets || packageFiles.length > 0) && {
      commandHooks: {
        beforeBundling: () => [],
        beforeInstall: () => [],
        afterBundling: (inputDir: string, outputDir: string) => [
          ...(assets ? [`cp -R "${join(inputDir, assets)}" "${join(outputDir, 'assets')}"`] : []),
          ...packageFiles.map((file) => copyPackageFile(inputDir, outputDir, file)),
        ],
      },
    }),
  };
};
