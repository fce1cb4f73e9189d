import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { esbuildOptionsFor } from '../../bench/bundles.ts';
import {
  catalog,
  entryOf,
  SETTINGS_OF_USE,
  settingsOf,
  type WorkflowCall,
} from '../../functions/catalog.ts';
import { config } from '../../functions/shared/config.ts';
import { bundlingFor, entryOf as entryFileOf } from '../../infra/constructs/bundling.ts';

/**
 * What each bundle really needs, against its catalog entry. The local stack gives every
 * handler every setting and every permission, so a handler whose entry lacks a use only fails
 * on AWS; this catches it from the code that gets deployed: the SDK commands a bundle contains
 * and the settings it reads through functions/shared/config.ts.
 *
 * Command modules say what a bundle *can* call, not that it does: lib-dynamodb's paginators
 * keep ScanCommand in every bundle with a table client. So this checks that no use is granted
 * without its client and commands, and no client ships without its use; that no function
 * scans is test/unit/no-scan.test.ts (sources) and test/infra/permissions.test.ts (IAM).
 */
interface Bundle {
  /** Input files that contributed code, e.g. `functions/adapters/activation-secret.ts`. */
  readonly inputs: ReadonlySet<string>;
  /** API actions it can call, from the SDK command modules it contains: `dynamodb:GetItem`. */
  readonly actions: ReadonlySet<string>;
  /** The config.ts accessors it calls or passes on: `tableName`. */
  readonly accessors: ReadonlySet<Accessor>;
}

type Accessor = keyof typeof config;
const isAccessor = (name: string): name is Accessor => Object.hasOwn(config, name);

const SERVICE_OF_CLIENT: Readonly<Record<string, string>> = {
  'client-dynamodb': 'dynamodb',
  'client-sfn': 'states',
  'client-sesv2': 'ses',
  'client-api-gateway': 'apigateway',
};

const bundleOf = async (module: string): Promise<Bundle> => {
  // The options `cdk synth` bundles with (same resolution, same tree shaking), unminified so
  // the accessor names stay readable.
  const result = await build({
    ...esbuildOptionsFor(bundlingFor(module)),
    entryPoints: [entryFileOf(module)],
    minify: false,
    sourcemap: false,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs)[0];
  const inputs = new Set(
    Object.entries(output?.inputs ?? {})
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path),
  );
  const actions = new Set(
    [...inputs].flatMap((path) => {
      const match = /@aws-sdk\/(client-[a-z0-9-]+)\/dist-es\/commands\/(\w+)Command\.js$/.exec(
        path,
      );
      const service = match && SERVICE_OF_CLIENT[match[1] as string];
      return service ? [`${service}:${match[2]}`] : [];
    }),
  );
  const code = result.outputFiles[0]?.text ?? '';
  // esbuild renames a binding that collides (config2, ...); the SDK's own `config.x` uses
  // name none of our accessors.
  const accessors = new Set(
    [...code.matchAll(/\bconfig\d*\.(\w+)\b/g)]
      .map((match) => match[1] as string)
      .filter(isAccessor),
  );
  return { inputs, actions, accessors };
};

/** Runs an accessor against a recording environment and returns the variables it read. */
const variablesReadBy = (accessor: Accessor): string[] => {
  const read = new Set<string>();
  const saved = process.env;
  process.env = new Proxy({} as NodeJS.ProcessEnv, {
    get: (_target, name) => {
      if (typeof name === 'string') read.add(name);
      return '1';
    },
  });
  try {
    config[accessor]();
  } finally {
    process.env = saved;
  }
  return [...read];
};

/** Whether an accessor works with none of its variables set (a default in code). */
const hasDefault = (accessor: Accessor): boolean => {
  const saved = process.env;
  process.env = {};
  try {
    config[accessor]();
    return true;
  } catch {
    return false;
  } finally {
    process.env = saved;
  }
};

const deployedSettings = new Set<string>(Object.values(SETTINGS_OF_USE).flat());
const COMMAND_OF_CALL: Record<WorkflowCall, string> = {
  startExecution: 'states:StartExecution',
  describeExecution: 'states:DescribeExecution',
  sendTaskSuccess: 'states:SendTaskSuccess',
  sendTaskFailure: 'states:SendTaskFailure',
};
const TABLE_WRITES = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:TransactWriteItems',
  'dynamodb:BatchWriteItem',
];

const modules = catalog.map((entry) => entry.module);
const bundles = new Map(
  await Promise.all(modules.map(async (m) => [m, await bundleOf(m)] as const)),
);
const bundle = (module: string): Bundle => bundles.get(module) as Bundle;
const usesService = (module: string, service: string): boolean =>
  [...bundle(module).actions].some((action) => action.startsWith(`${service}:`));

describe("each bundle's needs match its catalog entry", () => {
  it.each(modules)('%s reads exactly the deployed settings its uses imply', (module) => {
    const read = [...bundle(module).accessors].flatMap(variablesReadBy);
    expect(read.filter((name) => deployedSettings.has(name)).sort()).toEqual(
      [...new Set(settingsOf(entryOf(module).uses))].sort(),
    );
  });

  it.each(modules)('%s reads no undeployed setting without a default', (module) => {
    const undeployed = [...bundle(module).accessors].filter((accessor) =>
      variablesReadBy(accessor).every((name) => !deployedSettings.has(name)),
    );
    for (const accessor of undeployed) expect(hasDefault(accessor), accessor).toBe(true);
  });

  it.each(modules)('%s uses the table exactly if its entry says so', (module) => {
    const { table, indexes = [] } = entryOf(module).uses;
    expect(usesService(module, 'dynamodb')).toBe(table !== undefined);
    const actions = bundle(module).actions;
    if (table === 'readWrite') {
      expect(TABLE_WRITES.some((action) => actions.has(action))).toBe(true);
    }
    if (indexes.length > 0) expect(actions.has('dynamodb:Query')).toBe(true);
  });

  it.each(modules)('%s talks to Step Functions exactly if its entry says so', (module) => {
    const { workflow: calls = [], deliveries } = entryOf(module).uses;
    expect(usesService(module, 'states')).toBe(calls.length > 0 || deliveries === true);
    if (deliveries) expect(bundle(module).actions.has('states:StartExecution')).toBe(true);
    for (const call of calls) expect(bundle(module).actions.has(COMMAND_OF_CALL[call])).toBe(true);
  });

  it.each(modules)('%s sends e-mail exactly if its entry says so', (module) => {
    const { mail } = entryOf(module).uses;
    expect(usesService(module, 'ses')).toBe(mail === true);
    if (mail) expect(bundle(module).actions.has('ses:SendEmail')).toBe(true);
  });

  it.each(modules)(
    "%s calls API Gateway's management API exactly if its entry says so",
    (module) => {
      const { authorizerCache } = entryOf(module).uses;
      expect(usesService(module, 'apigateway')).toBe(authorizerCache === true);
      if (authorizerCache) {
        expect([...bundle(module).actions].filter((a) => a.startsWith('apigateway:'))).toEqual([
          'apigateway:FlushStageAuthorizersCache',
        ]);
      }
    },
  );

  it.each(modules)('%s reads the activation secret exactly if its entry says so', (module) => {
    const readsSecret = bundle(module).inputs.has('functions/adapters/activation-secret.ts');
    expect(readsSecret).toBe(entryOf(module).uses.activationSecret === true);
  });
});
