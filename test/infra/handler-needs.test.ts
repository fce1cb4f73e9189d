import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { entryOf } from '../../infra/constructs/bundling.ts';
import { accessOf, handlerModules } from '../../infra/function-catalog.ts';

/**
 * What each bundle actually contains, against what the stack grants it. Local runs give every
 * handler every environment variable, so a handler that needs a grant or a variable its
 * function lacks only fails on AWS; this catches it from the code that gets deployed.
 */
const bundledSources = async (module: string): Promise<Set<string>> => {
  const result = await build({
    entryPoints: [entryOf(module)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs)[0];
  return new Set(
    Object.entries(output?.inputs ?? {})
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path),
  );
};

const modules = handlerModules();
const sources = new Map(
  await Promise.all(modules.map(async (m) => [m, await bundledSources(m)] as const)),
);

describe('what each handler bundles matches what its function is granted', () => {
  it.each(modules)('%s reads the activation secret only if granted it', (module) => {
    const readsSecret = sources.get(module)?.has('functions/adapters/activation-secret.ts');
    expect(readsSecret).toBe(accessOf(module).activationSecret === true);
  });

  it.each(modules)('%s sends e-mail only if granted ses:SendEmail', (module) => {
    const mails = sources.get(module)?.has('functions/adapters/ses-mailer.ts');
    expect(mails).toBe(accessOf(module).sendEmail === true);
  });

  it.each(modules)(
    '%s talks to Step Functions only if granted a Step Functions action',
    (module) => {
      const access = accessOf(module);
      const signals = sources.get(module)?.has('functions/adapters/sfn-workflow.ts');
      expect(signals).toBe(
        Boolean(access.startExecution || access.sendTaskSuccess || access.sendTaskFailure),
      );
    },
  );
});
