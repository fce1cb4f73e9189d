import { describe, expect, it } from 'vitest';
import { RoundKind } from '../../../bench/batch-answers.ts';
import {
  BATCH_SETTINGS,
  type BatchResult,
  type BatchTiming,
  type DrainedRound,
} from '../../../bench/batch-create.ts';
import { batchBudgetInput, batchCreateSection } from '../../../bench/batch-report.ts';

const timing = (answerMs: number, partnerId = 'local-partner-1'): BatchTiming => ({
  partnerId,
  items: 100,
  answerMs,
  load: 1.5,
});

const round = (
  kind: RoundKind,
  answerMs: number,
  firstWaitMs: number,
  warmUp = false,
): DrainedRound => ({ ...timing(answerMs), kind, warmUp, firstWaitMs, stackCpuMs: 3_500 });

const result: BatchResult = {
  settings: { ...BATCH_SETTINGS, batches: 3, singleRounds: 1 },
  rounds: [
    round(RoundKind.BATCH, 5_000, 6_000, true),
    round(RoundKind.SINGLES, 7_000, 8_000, true),
    // 25, 40 and 50 items/s; one round of singles at 20.
    round(RoundKind.BATCH, 4_000, 5_000),
    round(RoundKind.BATCH, 2_500, 3_000),
    round(RoundKind.SINGLES, 5_000, 5_500),
    round(RoundKind.BATCH, 2_000, 2_600),
  ],
  parallel: {
    batches: [timing(8_000, 'local-partner-1'), timing(10_000, 'local-partner-2')],
    answeredMs: 10_000,
    firstWaitMs: 11_000,
    stackCpuMs: 7_000,
  },
  dryRunMs: [30, 40, 150],
  created: 800,
  listed: 800,
  counted: 800,
  load: { before: [1.25, 1.5, 1.75], after: [2, 1.5, 1] },
};

describe('batchCreateSection', () => {
  const section = batchCreateSection(result);

  it('gives each batch its answer time, items per second, CPU per item and first wait', () => {
    expect(section).toMatch(/^6\. Batch create \(issue 14\)/);
    const rows = section.split('\n').filter((line) => /^(batch|singles) /.test(line));
    expect(rows.map((row) => row.split(/\s+/))).toEqual([
      ['batch', 'warm-up', '5.00', '20.0', '35.0', '70%', '6.00', '1.50'],
      ['singles', 'warm-up', '7.00', '14.3', '35.0', '50%', '8.00', '1.50'],
      ['batch', '1', '4.00', '25.0', '35.0', '88%', '5.00', '1.50'],
      ['batch', '2', '2.50', '40.0', '35.0', '140%', '3.00', '1.50'],
      ['singles', '1', '5.00', '20.0', '35.0', '70%', '5.50', '1.50'],
      ['batch', '3', '2.00', '50.0', '35.0', '175%', '2.60', '1.50'],
    ]);
  });

  it('summarizes the measured batches and single creates without the warm-ups', () => {
    expect(section).toContain(
      '3 batches: median 40.0 (p10 28.0, p90 48.0) items/s; answer median 2.50 (p10 2.10, p90 3.70) s, max 4.00 s; stack CPU median 35.0',
    );
    expect(section).toContain('1 rounds of single creates: median 20.0 (p10 20.0, p90 20.0)');
  });

  it('gives the parallel run its aggregate over the slowest answer, and the dry runs', () => {
    expect(section).toContain(
      '2 batches at once, one per partner (local-partner-1, local-partner-2)',
    );
    expect(section).toContain('200 items in 10.00 s = 20.0 items/s aggregate');
    expect(section).toContain(
      'stack CPU to the last answer 35.0 ms/item, 70% of a core; every first wait 11.00 s after the first request',
    );
    expect(section).toContain('p50 0.04 s, max 0.15 s over 3');
  });

  it('says what the API holds afterwards and the load before and after', () => {
    expect(section).toContain('created 800 (warm-up included)');
    expect(section).toContain('lists hold 800 and their counts 800 PENDING_ACTIVATION');
    expect(section).toContain('1.25 1.50 1.75 before, 2.00 1.50 1.00 after');
  });
});

describe('batchBudgetInput', () => {
  it('budgets the sequential batches, not the warm-up, the single creates nor the parallel ones', () => {
    expect(batchBudgetInput(result)).toEqual({ items: 100, answerMs: [4_000, 2_500, 2_000] });
  });
});
