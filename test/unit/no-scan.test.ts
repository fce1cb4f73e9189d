import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scansUnder, sourceFiles } from '../../bench/scan-check.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const functions = fileURLToPath(new URL('../../functions', import.meta.url));

/**
 * Budget (issue 6): no DynamoDB Scan anywhere in functions/. Every access is a key lookup or a
 * Query on a key, so cost and latency do not grow with the table.
 */
describe('functions/', () => {
  it('has source files to check', async () => {
    expect((await sourceFiles(functions)).length).toBeGreaterThan(10);
  });

  it('never uses a Scan (ScanCommand, paginateScan, the Scan operation or PartiQL)', async () => {
    expect(await scansUnder(functions, root)).toEqual([]);
  });
});
