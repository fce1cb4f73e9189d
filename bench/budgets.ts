/** The budgets of issue 6 and their check. Pure. */
export const BUDGETS = {
  bundleBytes: 1024 * 1024,
  loadRatio: 1.5,
  apiOverheadRatio: 1.5,
  activatedTransitions: 8,
  scans: 0,
} as const;

export interface BudgetCheck {
  readonly name: string;
  readonly limit: string;
  readonly measured: string;
  readonly holds: boolean;
}

export interface BudgetInput {
  readonly bundles: readonly {
    readonly name: string;
    readonly bytes: number;
    readonly loadRatio: number;
  }[];
  readonly apiOverheadRatio: number;
  readonly activatedTransitions: number;
  readonly scans: number;
}

const worst = <T>(items: readonly T[], by: (item: T) => number): T | undefined =>
  items.reduce<T | undefined>(
    (max, item) => (max === undefined || by(item) > by(max) ? item : max),
    undefined,
  );

export const checkBudgets = (input: BudgetInput): BudgetCheck[] => {
  const biggest = worst(input.bundles, (bundle) => bundle.bytes);
  const slowest = worst(input.bundles, (bundle) => bundle.loadRatio);
  const overSize = input.bundles.filter((bundle) => bundle.bytes > BUDGETS.bundleBytes);
  const overLoad = input.bundles.filter((bundle) => bundle.loadRatio > BUDGETS.loadRatio);
  return [
    {
      name: 'bundle size',
      limit: '<= 1 MiB each',
      measured: biggest
        ? `max ${(biggest.bytes / 1024).toFixed(0)} KiB (${biggest.name})${overSize.length ? `, ${overSize.length} over` : ''}`
        : 'no bundles',
      holds: input.bundles.length > 0 && overSize.length === 0,
    },
    {
      name: 'load ratio',
      limit: `<= ${BUDGETS.loadRatio} each`,
      measured: slowest
        ? `max ${slowest.loadRatio.toFixed(2)} (${slowest.name})${overLoad.length ? `, ${overLoad.length} of ${input.bundles.length} over` : ''}`
        : 'no bundles',
      holds: input.bundles.length > 0 && overLoad.length === 0,
    },
    {
      name: 'API overhead ratio (p50)',
      limit: `<= ${BUDGETS.apiOverheadRatio}`,
      measured: input.apiOverheadRatio.toFixed(2),
      holds: input.apiOverheadRatio <= BUDGETS.apiOverheadRatio,
    },
    {
      name: 'state transitions, activated',
      limit: `<= ${BUDGETS.activatedTransitions}`,
      measured: String(input.activatedTransitions),
      holds: input.activatedTransitions <= BUDGETS.activatedTransitions,
    },
    {
      name: 'Scan in functions/',
      limit: 'none',
      measured: String(input.scans),
      holds: input.scans === BUDGETS.scans,
    },
  ];
};
