import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../functions/catalog.ts';
import { entryOf, PROJECT_ROOT } from '../../infra/constructs/bundling.ts';
import { createServiceApp } from '../../infra/service-app.ts';
import { cdkJsonContext, newOutdir, TEST_SENDER_DOMAIN } from './support/service-app.ts';
import { functionOf } from './support/template-queries.ts';

const modules = catalog.map((entry) => entry.module);
const missingEntries = modules.filter((module) => !existsSync(entryOf(module)));
const CONSOLE_ASSETS = join(PROJECT_ROOT, 'functions', 'console', 'assets');

/**
 * Imports every bundle in a plain Node process (no test transform), as Lambda's ESM loader
 * would, and reports which ones fail to load or lack an exported `handler` function.
 */
const loadBundles = (bundles: Record<string, string>): Record<string, string> => {
  const script = `
    const results = {};
    for (const [module, file] of Object.entries(JSON.parse(process.argv[1]))) {
      try {
        const loaded = await import(file);
        results[module] = typeof loaded.handler === 'function' ? 'ok' : 'no handler export';
      } catch (error) {
        results[module] = String(error);
      }
    }
    console.log(JSON.stringify(results));
  `;
  const output = execFileSync(
    process.execPath,
    ['--input-type=module', '--eval', script, JSON.stringify(bundles)],
    {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'bundle-test',
        AWS_SECRET_ACCESS_KEY: 'bundle-test',
        TABLE_NAME: 'bundle-test',
        STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:bundle-test',
        SENDER_EMAIL: 'no-reply@example.com',
        PUBLIC_BASE_URL: 'https://example.com/prod',
        EVENT_BUS_NAME: 'bundle-test',
        DELIVERY_STATE_MACHINE_ARN:
          'arn:aws:states:eu-west-1:123456789012:stateMachine:bundle-test-delivery',
        POWERTOOLS_LOG_LEVEL: 'ERROR',
      },
    },
  );
  return JSON.parse(output.trim().split('\n').at(-1) as string);
};

describe('production bundles (esbuild, no code injection)', () => {
  it.skipIf(missingEntries.length > 0)(
    `bundles every handler as a loadable ESM module with source maps${
      missingEntries.length > 0
        ? ` [skipped: handler files missing: ${missingEntries.map((m) => `functions/${m}.ts`).join(', ')}]`
        : ''
    }`,
    () => {
      const outdir = newOutdir();
      const { app, stack } = createServiceApp({
        context: { ...cdkJsonContext(), senderDomain: TEST_SENDER_DOMAIN },
        outdir,
      });
      const assembly = app.synth();
      const template = Template.fromStack(stack);

      const bundleDirs = Object.fromEntries(
        modules.map((module) => {
          const [, fn] = functionOf(template, module);
          const key: string = fn.Properties.Code.S3Key;
          return [module, join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`)];
        }),
      );

      for (const [module, dir] of Object.entries(bundleDirs)) {
        expect(
          readdirSync(dir)
            .filter((file) => file.startsWith('index'))
            .sort(),
          module,
        ).toEqual(['index.mjs', 'index.mjs.map']);
        const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
        expect(
          code.startsWith("import { createRequire as __bannerCreateRequire } from 'node:module';"),
        ).toBe(true);
        expect(code.trimEnd().endsWith('//# sourceMappingURL=index.mjs.map'), module).toBe(true);
      }

      const consoleDir = bundleDirs['console/serve-console'] as string;
      expect(readdirSync(join(consoleDir, 'assets')).sort()).toEqual(
        readdirSync(CONSOLE_ASSETS).sort(),
      );
      // Papa Parse, which serve-console reads at load through createRequire (so the load below
      // fails without it), with its licence.
      for (const file of ['papaparse/papaparse.min.js', 'papaparse/LICENSE']) {
        expect(readFileSync(join(consoleDir, 'node_modules', file), 'utf8'), file).toBe(
          readFileSync(createRequire(import.meta.url).resolve(file), 'utf8'),
        );
      }

      const loaded = loadBundles(
        Object.fromEntries(
          Object.entries(bundleDirs).map(([module, dir]) => [
            module,
            pathToFileURL(join(dir, 'index.mjs')).href,
          ]),
        ),
      );
      expect(loaded).toEqual(Object.fromEntries(modules.map((module) => [module, 'ok'])));
    },
    // The CDK runs esbuild for one function after another (36 of them): 80 s for 28 in an
    // earlier CI run, and over 240 s measured beside the rest of the suite and other work.
    600_000,
  );
});
