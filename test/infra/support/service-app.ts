import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { FunctionEntry } from '../../../functions/catalog.ts';
import { PROJECT_ROOT } from '../../../infra/constructs/bundling.ts';
import type { CodeForModule } from '../../../infra/constructs/handler-function.ts';
import { createServiceApp, type ServiceApp } from '../../../infra/service-app.ts';

const outdirs: string[] = [];

/** Removes the synth output directories made so far (test/infra/support/setup.ts, per file). */
export const removeOutdirs = (): void => {
  for (const outdir of outdirs.splice(0)) rmSync(outdir, { recursive: true, force: true });
};

export const newOutdir = (): string => {
  const outdir = mkdtempSync(join(tmpdir(), 'sar-cdk-'));
  outdirs.push(outdir);
  return outdir;
};

/** The feature flags `cdk synth` runs with, so tests see the template a deployment gets. */
export const cdkJsonContext = (): Record<string, unknown> =>
  JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')).context;

/** Stands in for the esbuild bundles, so unit tests neither bundle nor need the handler files. */
export const stubCode: CodeForModule = () =>
  lambda.Code.fromInline('export const handler = async () => ({});');

/** A sender domain someone could verify; the placeholder default makes the synth warn. */
export const TEST_SENDER_DOMAIN = 'partner-portal.example';

/**
 * The production app (settings, stack, cdk-nag) with stub code and the given context; with
 * `catalog`, built from that catalog instead of functions/catalog.ts.
 */
export const stubbedServiceApp = (
  context: Record<string, unknown> = {},
  catalog?: readonly FunctionEntry[],
): ServiceApp =>
  createServiceApp({
    context: { ...cdkJsonContext(), senderDomain: TEST_SENDER_DOMAIN, ...context },
    codeFor: stubCode,
    outdir: newOutdir(),
    catalog,
  });

/** Synthesizes (running cdk-nag, which throws on unacknowledged findings) and returns the template. */
export const synthesizedTemplate = (
  context: Record<string, unknown> = {},
  catalog?: readonly FunctionEntry[],
): Template => Template.fromStack(stubbedServiceApp(context, catalog).stack);
