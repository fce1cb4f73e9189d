import { describe, expect, it } from 'vitest';
import { BUDGETS, checkBudgets } from '../../../bench/budgets.ts';

const within = {
  bundles: [
    { name: 'api/a', bytes: 500_000, loadRatio: 1.2 },
    { name: 'api/b', bytes: BUDGETS.bundleBytes, loadRatio: 1.5 },
  ],
  apiOverheadRatio: 1.5,
  activatedTransitions: 8,
  scans: 0,
  webhooks: {
    aloneP99Ms: 400,
    besideP99Ms: 600,
    events: 1000,
    missing: 0,
    duplicates: 0,
    signaturesChecked: 80,
    signaturesVerified: 80,
  },
  listFilters: {
    limit: 25,
    partnerRequests: 50_000,
    pages: [
      { query: '?status=CANCELLED&limit=25', readUnits: 5.5 },
      { query: '?status=ACTIVE&limit=25', readUnits: BUDGETS.listFilterPageReadUnits },
    ],
  },
  batches: { items: 100, answerMs: [3_200, BUDGETS.batchAnswerMs] },
};

describe('checkBudgets', () => {
  it('holds at the limits', () => {
    expect(checkBudgets(within).every((check) => check.holds)).toBe(true);
  });

  it('names the worst bundle and how many are over', () => {
    const checks = checkBudgets({
      ...within,
      bundles: [
        { name: 'api/a', bytes: BUDGETS.bundleBytes + 1, loadRatio: 1.51 },
        { name: 'api/b', bytes: 10, loadRatio: 2 },
      ],
    });
    const [size, load] = checks;
    expect(size).toMatchObject({ holds: false, measured: 'max 1024 KiB (api/a), 1 over' });
    expect(load).toMatchObject({ holds: false, measured: 'max 2.00 (api/b), 2 of 2 over' });
  });

  it('fails the API ratio, the transition budget and any Scan', () => {
    const checks = checkBudgets({
      ...within,
      apiOverheadRatio: 1.51,
      activatedTransitions: 9,
      scans: 1,
    });
    expect(checks.filter((check) => !check.holds).map((check) => check.name)).toEqual([
      'API overhead ratio (p50)',
      'state transitions, activated',
      'Scan in functions/',
    ]);
  });

  it('does not hold without bundles', () => {
    expect(checkBudgets({ ...within, bundles: [] })[0]?.holds).toBe(false);
  });

  it('holds the healthy receiver to 1.5 times its p99 alone, beside slow and failing endpoints', () => {
    const isolation = (besideP99Ms: number) =>
      checkBudgets({ ...within, webhooks: { ...within.webhooks, besideP99Ms } }).find(
        (check) => check.name === 'webhook p99 beside slow+failing / alone',
      );
    expect(isolation(600)).toMatchObject({ holds: true, measured: '1.50 (600 / 400 ms)' });
    expect(isolation(601)?.holds).toBe(false);
    expect(isolation(Number.POSITIVE_INFINITY)).toMatchObject({
      holds: false,
      measured: 'no latency',
    });
  });

  it('wants every event at the healthy receiver once, and every sampled signature verified', () => {
    const completeness = (webhooks: Partial<(typeof within)['webhooks']>) =>
      checkBudgets({ ...within, webhooks: { ...within.webhooks, ...webhooks } }).find(
        (check) => check.name === 'webhooks to the healthy receiver',
      );
    expect(completeness({})).toMatchObject({
      holds: true,
      measured: '0 missing, 0 duplicates of 2000; 80 of 80 signatures verified',
    });
    expect(completeness({ missing: 1 })?.holds).toBe(false);
    expect(completeness({ duplicates: 1 })?.holds).toBe(false);
    expect(completeness({ signaturesVerified: 79 })?.holds).toBe(false);
    expect(completeness({ signaturesChecked: 0, signaturesVerified: 0 })?.holds).toBe(false);
  });

  it('holds every filtered page of 25 to a fixed number of read units, whatever the partner has', () => {
    const pages = (readUnits: number[]) =>
      checkBudgets({
        ...within,
        listFilters: {
          ...within.listFilters,
          pages: readUnits.map((units, index) => ({ query: `?q${index}`, readUnits: units })),
        },
      }).find((check) => check.name === 'filtered page read units, limit 25');
    expect(pages([5.5, 30])).toMatchObject({
      holds: true,
      measured: 'max 30 (?q1) of 50,000 requests',
    });
    expect(pages([30.5, 14, 165])).toMatchObject({
      holds: false,
      measured: 'max 165 (?q2) of 50,000 requests, 2 of 3 over',
    });
    expect(pages([Number.NaN])?.holds).toBe(false);
    expect(pages([])).toMatchObject({ holds: false, measured: 'no pages' });
  });

  it("holds every sequential batch of 100 to API Gateway's integration timeout", () => {
    const answers = (answerMs: number[]) =>
      checkBudgets({ ...within, batches: { items: 100, answerMs } }).find(
        (check) => check.name === 'batch of 100 answered',
      );
    expect(answers([3_170, 29_000])).toMatchObject({
      holds: true,
      limit: '<= 29 s each',
      measured: 'max 29.00 s of 2',
    });
    expect(answers([29_001, 3_000, 31_500])).toMatchObject({
      holds: false,
      measured: 'max 31.50 s of 3, 2 over',
    });
    expect(answers([Number.NaN])?.holds).toBe(false);
    expect(answers([])).toMatchObject({ holds: false, measured: 'no batches' });
  });
});
