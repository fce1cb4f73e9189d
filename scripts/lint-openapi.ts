/**
 * Lints the OpenAPI document the API serves (GET /openapi.json) with @redocly/cli and the rules
 * in redocly.yaml. Warnings fail too: the document is generated, so a warning is a defect of the
 * generator or the schemas, not a style choice. Redocly's telemetry and update check are off, so
 * the lint needs no network.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openApiDocument } from '../functions/api/openapi-document.ts';

interface LintReport {
  readonly problems: readonly {
    readonly ruleId: string;
    readonly severity: string;
    readonly message: string;
    readonly location?: readonly { readonly pointer?: string }[];
  }[];
}

const root = fileURLToPath(new URL('..', import.meta.url));
const redocly = join(
  dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')),
  'bin',
  'cli.js',
);

/** Lints one file; answers the lines to print and whether it passed. */
const lint = (file: string): { passed: boolean; lines: string[] } => {
  const run = spawnSync(
    process.execPath,
    [redocly, 'lint', file, '--config', join(root, 'redocly.yaml'), '--format', 'json'],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    },
  );
  let report: LintReport;
  try {
    report = JSON.parse(run.stdout) as LintReport;
  } catch {
    return {
      passed: false,
      lines: [`redocly lint did not report (exit ${run.status})`, run.stderr],
    };
  }
  const lines = report.problems.map(
    (problem) =>
      `${problem.severity} ${problem.ruleId} ${problem.location?.[0]?.pointer ?? ''}: ${problem.message}`,
  );
  const passed = report.problems.length === 0 && run.status === 0;
  if (!passed) lines.push(`${report.problems.length} problem(s), redocly exit ${run.status}`);
  return { passed, lines };
};

const dir = mkdtempSync(join(tmpdir(), 'openapi-lint-'));
try {
  const file = join(dir, 'openapi.json');
  writeFileSync(file, JSON.stringify(openApiDocument(), null, 2));
  const { passed, lines } = lint(file);
  if (passed) console.log('OpenAPI document: no problems with the recommended rules');
  else {
    console.error(`OpenAPI document (GET /openapi.json) fails redocly lint:\n${lines.join('\n')}`);
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
