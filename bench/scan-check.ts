import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

export interface ScanUsage {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

/**
 * What counts as a Scan: the SDK command and paginator (client-dynamodb and lib-dynamodb
 * share the names), the wire operation, a v2-style `.scan(` call, and PartiQL statements,
 * whose SELECT without a key condition is a Scan in disguise. `ScanIndexForward` (a Query
 * parameter) is not a Scan.
 */
const SCAN_PATTERNS: readonly RegExp[] = [
  /\bScan(?:Command(?:Input|Output)?)?\b/,
  /\bpaginateScan\b/,
  /DynamoDB_20120810\.Scan\b/,
  /\.scan\s*\(/,
  /\b(?:Batch)?ExecuteStatement(?:Command)?\b/,
  /\bExecuteTransaction(?:Command)?\b/,
];

/** Every line of `text` that uses a Scan (see SCAN_PATTERNS). */
export const findScans = (file: string, text: string): ScanUsage[] =>
  text
    .split('\n')
    .flatMap((content, index) =>
      SCAN_PATTERNS.some((pattern) => pattern.test(content))
        ? [{ file, line: index + 1, text: content.trim() }]
        : [],
    );

const SOURCE = /\.(?:[cm]?[jt]s|tsx|jsx)$/;

/** Every TypeScript/JavaScript file under `root`, recursively. */
export const sourceFiles = async (root: string): Promise<string[]> => {
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && SOURCE.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
};

/** Scan usages in every source file under `root`, with paths relative to `base`. */
export const scansUnder = async (root: string, base: string): Promise<ScanUsage[]> => {
  const files = await sourceFiles(root);
  const found = await Promise.all(
    files.map(async (file) => findScans(relative(base, file), await readFile(file, 'utf8'))),
  );
  return found.flat();
};
