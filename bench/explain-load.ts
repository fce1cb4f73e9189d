/**
 * `npx tsx bench/explain-load.ts [rounds]`: what a handler bundle's load time is made of, and
 * what two changes would save. Bundles single dependencies (SDK clients, lib-dynamodb, zod,
 * Powertools Logger, middy, the e-mail templates) and whole handlers with the handlers' own
 * esbuild options, then loads each in fresh processes, interleaved:
 * - every piece as Lambda loads it (NODE_OPTIONS=--enable-source-maps);
 * - the reference and two handlers without that flag;
 * - the zod-using handlers with `import { z } from 'zod'` rewritten to `import * as z from
 *   'zod'` at bundle time (functions/ is not touched), which lets esbuild drop zod's ~40
 *   unused locales.
 * Not part of `npm run bench` (it takes about a minute).
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BuildOptions, build, type Plugin } from 'esbuild';
import { type Bundle, esbuildOptionsFor, loadBundlePlan, PROJECT_ROOT } from './bundles.ts';
import { LAMBDA_NODE_OPTIONS, type LoadTarget, measureLoads } from './cold-start.ts';
import { kib, ms, table, times } from './format.ts';

const PIECES: Record<string, string> = {
  'DynamoDBClient (reference)': `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
export const c = new DynamoDBClient({});`,
  'DynamoDB + lib-dynamodb': `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
export const c = DynamoDBDocumentClient.from(new DynamoDBClient({}));`,
  'DynamoDB + SFN clients': `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
export const c = [new DynamoDBClient({}), new SFNClient({})];`,
  'DynamoDB + SESv2 clients': `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
export const c = [new DynamoDBClient({}), new SESv2Client({})];`,
  'zod, import { z }': `import { z } from 'zod';
export const s = z.object({ requestId: z.string().min(1) });`,
  'zod, import * as z': `import * as z from 'zod';
export const s = z.object({ requestId: z.string().min(1) });`,
  'Powertools Logger': `import { Logger } from '@aws-lambda-powertools/logger';
export const l = new Logger();`,
  'middy + header normalizer': `import middy from '@middy/core';
import normalize from '@middy/http-header-normalizer';
export const h = middy().use(normalize()).handler(async () => 1);`,
  'functions/messages/emails.ts': `export * from '${PROJECT_ROOT}functions/messages/emails.ts';`,
};

const HANDLERS = [
  'api/create-request',
  'api/list-requests',
  'workflow/send-activation',
  'workflow/settle-request',
  'workflow/close-request',
  'events/ses-feedback',
];
/** Handlers also loaded without --enable-source-maps. */
const WITHOUT_FLAG = new Set([
  'DynamoDBClient (reference)',
  'api/create-request',
  'workflow/send-activation',
]);

/** Bundle-time what-if: the namespace import lets esbuild tree-shake zod's locales. */
const zodNamespaceImport: Plugin = {
  name: 'zod-namespace-import',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[/\\]functions[/\\].*\.ts$/ }, async (args) => ({
      contents: (await readFile(args.path, 'utf8')).replaceAll(
        "import { z } from 'zod';",
        "import * as z from 'zod';",
      ),
      loader: 'ts',
    }));
  },
};

const rounds = Number(process.argv[2] ?? 7);
const dir = await mkdtemp(join(tmpdir(), 'sar-explain-'));
try {
  const plan = await loadBundlePlan();
  const options = esbuildOptionsFor(plan.bundlingFor('api/create-request'));
  let index = 0;
  const bundle = async (name: string, entry: Partial<BuildOptions>): Promise<Bundle> => {
    index += 1;
    const file = join(dir, String(index), 'index.mjs');
    await build({ ...options, ...entry, outfile: file });
    return { name, file, bytes: (await stat(file)).size, topInputs: [] };
  };
  const pieces = await Promise.all(
    Object.entries(PIECES).map(([name, contents]) =>
      bundle(name, { stdin: { contents, resolveDir: PROJECT_ROOT, loader: 'ts' } }),
    ),
  );
  const handlers = await Promise.all(
    HANDLERS.flatMap((module) => {
      const entryPoints = [join(PROJECT_ROOT, 'functions', `${module}.ts`)];
      return [
        bundle(module, { entryPoints }),
        bundle(`${module}, import * as z`, { entryPoints, plugins: [zodNamespaceImport] }),
      ];
    }),
  );
  const bundles = [...pieces, ...handlers];
  const targets: LoadTarget[] = [
    ...bundles.map((b) => ({ ...b, nodeOptions: LAMBDA_NODE_OPTIONS })),
    ...bundles.filter((b) => WITHOUT_FLAG.has(b.name)).map((b) => ({ ...b, nodeOptions: '' })),
  ];
  const results = await measureLoads(targets, dir, rounds);
  const find = (name: string, flag: string) =>
    results.find((r) => r.bundle.name === name && r.bundle.nodeOptions === flag)?.importMs;
  const referenceName = pieces[0]?.name ?? '';
  const row = (name: string, bytes: number) => {
    const withMaps = find(name, LAMBDA_NODE_OPTIONS) ?? Number.NaN;
    const without = find(name, '');
    return [
      name,
      kib(bytes),
      ms(withMaps),
      times(withMaps / (find(referenceName, LAMBDA_NODE_OPTIONS) ?? Number.NaN)),
      without === undefined ? '' : ms(without),
      without === undefined ? '' : times(without / (find(referenceName, '') ?? Number.NaN)),
    ];
  };
  console.log(
    `Import time, bundled like the handlers; ${rounds} fresh processes each, interleaved, medians\n`,
  );
  console.log(
    table(
      ['bundle', 'KiB', 'ms', 'ratio', 'ms, no source maps', 'ratio'],
      bundles.map((b) => row(b.name, b.bytes)),
    ),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
