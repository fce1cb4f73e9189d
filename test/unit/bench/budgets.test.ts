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
});
