import { describe, expect, it } from 'vitest';
import { BATCH_SETTINGS, type BatchResult, type BatchTiming } from '../../../bench/batch-create.ts';
import { batchBudgetInput, batchCreateSection } from '../../../bench/batch-report.ts';

const batch = (answerMs: number, firstWaitMs?: number): BatchTiming => ({
  partnerId: 'local-partner-1',
  items: 100,
  answerMs,
  ...(firstWaitMs === undefined ? {} : { firstWaitMs, stackCpuMs: 3_500 }),
  load: 1.5,
});

const result: BatchResult = {
  settings: { ...BATCH_SETTINGS, batches: 3 },
  warmUp: batch(5_000, 6_000),
  // 25, 40 and 50 items/s.
  sequential: [batch(4_000, 5_000), batch(2_500, 3_000), batch(2_000, 2_600)],
  parallel: {
    batches: [
      { ...batch(8_000), partnerId: 'local-partner-1' },
      { ...batch(10_000), partnerId: 'local-partner-2' },
    ],
    answeredMs: 10_000,
    firstWaitMs: 11_000,
    stackCpuMs: 7_000,
  },
  dryRunMs: [30, 40, 150],
  created: 600,
  listed: 600,
  counted: 600,
  load: { before: [1.25, 1.5, 1.75], after: [2, 1.5, 1] },
};

describe('batchCreateSection', () => {
  const section = batchCreateSection(result);

  it('gives each batch its answer time, items per second, first wait and CPU per item', () => {
    expect(section).toMatch(/^6\. Batch create \(issue 14\)/);
    expect(section).toMatch(/warm-up\s+5\.00\s+20\.0\s+6\.00\s+35\.0\s+58%\s+1\.50/);
    expect(section).toMatch(/\n1\s+4\.00\s+25\.0\s+5\.00\s+35\.0\s+70%\s+1\.50/);
    expect(section).toMatch(/\n3\s+2\.00\s+50\.0\s+2\.60\s+35\.0\s+135%\s+1\.50/);
  });

  it('summarizes the measured batches without the warm-up', () => {
    expect(section).toContain(
      '3 batches: median 40.0 (p10 28.0, p90 48.0) items/s; answer median 2.50 (p10 2.10, p90 3.70) s, max 4.00 s',
    );
  });

  it('gives the parallel run its aggregate over the slowest answer, and the dry runs', () => {
    expect(section).toContain(
      '2 batches at once, one per partner (local-partner-1, local-partner-2)',
    );
    expect(section).toContain('200 items in 10.00 s = 20.0 items/s aggregate');
    expect(section).toContain(
      'every first wait 11.00 s after the first request; stack CPU 35.0 ms/item',
    );
    expect(section).toContain('p50 0.04 s, max 0.15 s over 3');
  });

  it('says what the API holds afterwards and the load before and after', () => {
    expect(section).toContain('created 600 (warm-up included)');
    expect(section).toContain('lists hold 600 and their counts 600 PENDING_ACTIVATION');
    expect(section).toContain('1.25 1.50 1.75 before, 2.00 1.50 1.00 after');
  });
});

describe('batchBudgetInput', () => {
  it('budgets the sequential batches, not the warm-up nor the parallel ones', () => {
    expect(batchBudgetInput(result)).toEqual({ items: 100, answerMs: [4_000, 2_500, 2_000] });
  });
});
