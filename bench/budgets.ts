/** The budgets of issues 6, 13 and 14 and their check. Pure. */
export const BUDGETS = {
  bundleBytes: 1024 * 1024,
  loadRatio: 1.5,
  apiOverheadRatio: 1.5,
  activatedTransitions: 8,
  scans: 0,
  /** The healthy receiver's p99 beside a slow and a failing endpoint, over its p99 alone. */
  webhookP99Ratio: 1.5,
  /** Read units of a filtered first page of 25 (bench/list-filters.ts); see docs/performance.md. */
  listFilterPageReadUnits: 30,
  /**
   * The slowest sequential 100-item batch's answer on the local stack (bench/batch-create.ts):
   * API Gateway's integration timeout. Locally the answer also carries the workflows its items
   * start, which run in the same process; see docs/performance.md for the margin measured.
   */
  batchAnswerMs: 29_000,
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
  /** The healthy webhook receiver in both runs (bench/webhook-delivery.ts). */
  readonly webhooks: {
    readonly aloneP99Ms: number;
    readonly besideP99Ms: number;
    /** Events per run. */
    readonly events: number;
    /** Events the healthy receiver never got, summed over both runs. */
    readonly missing: number;
    /** POSTs of an event it had already got, summed over both runs. */
    readonly duplicates: number;
    /** Sampled POSTs (every receiver, both runs) whose signature the reference package checked. */
    readonly signaturesChecked: number;
    readonly signaturesVerified: number;
  };
  /** The filtered first pages of the list-filter phase (bench/list-filters.ts). */
  readonly listFilters: {
    readonly limit: number;
    /** How many requests the partner has: the page's cost must not follow it. */
    readonly partnerRequests: number;
    readonly pages: readonly { readonly query: string; readonly readUnits: number }[];
  };
  /** The sequential batches of the batch phase (bench/batch-create.ts). */
  readonly batches: {
    /** Items per batch. */
    readonly items: number;
    /** Each batch's request to answer. */
    readonly answerMs: readonly number[];
  };
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
    webhookIsolation(input.webhooks),
    webhookCompleteness(input.webhooks),
    listFilterPages(input.listFilters),
    batchAnswers(input.batches),
  ];
};

const batchAnswers = (batches: BudgetInput['batches']): BudgetCheck => {
  const slowest = batches.answerMs.reduce((max, ms) => Math.max(max, ms), Number.NEGATIVE_INFINITY);
  const over = batches.answerMs.filter((ms) => !(ms <= BUDGETS.batchAnswerMs));
  return {
    name: `batch of ${batches.items} answered`,
    limit: `<= ${BUDGETS.batchAnswerMs / 1000} s each`,
    measured: batches.answerMs.length
      ? `max ${(slowest / 1000).toFixed(2)} s of ${batches.answerMs.length}${over.length ? `, ${over.length} over` : ''}`
      : 'no batches',
    holds: batches.answerMs.length > 0 && over.length === 0,
  };
};

const listFilterPages = (listFilters: BudgetInput['listFilters']): BudgetCheck => {
  const costliest = worst(listFilters.pages, (page) => page.readUnits);
  const over = listFilters.pages.filter(
    (page) => !(page.readUnits <= BUDGETS.listFilterPageReadUnits),
  );
  return {
    name: `filtered page read units, limit ${listFilters.limit}`,
    limit: `<= ${BUDGETS.listFilterPageReadUnits} each`,
    measured: costliest
      ? `max ${costliest.readUnits} (${costliest.query}) of ${listFilters.partnerRequests.toLocaleString('en-US')} requests${over.length ? `, ${over.length} of ${listFilters.pages.length} over` : ''}`
      : 'no pages',
    holds: listFilters.pages.length > 0 && over.length === 0,
  };
};

const webhookIsolation = (webhooks: BudgetInput['webhooks']): BudgetCheck => {
  const ratio = webhooks.besideP99Ms / webhooks.aloneP99Ms;
  return {
    name: 'webhook p99 beside slow+failing / alone',
    limit: `<= ${BUDGETS.webhookP99Ratio}`,
    measured: Number.isFinite(ratio)
      ? `${ratio.toFixed(2)} (${webhooks.besideP99Ms.toFixed(0)} / ${webhooks.aloneP99Ms.toFixed(0)} ms)`
      : 'no latency',
    // NaN or Infinity (nothing arrived) does not hold.
    holds: ratio <= BUDGETS.webhookP99Ratio,
  };
};

const webhookCompleteness = (webhooks: BudgetInput['webhooks']): BudgetCheck => ({
  name: 'webhooks to the healthy receiver',
  limit: 'every event once, signed',
  measured: `${webhooks.missing} missing, ${webhooks.duplicates} duplicates of ${2 * webhooks.events}; ${webhooks.signaturesVerified} of ${webhooks.signaturesChecked} signatures verified`,
  holds:
    webhooks.missing === 0 &&
    webhooks.duplicates === 0 &&
    webhooks.signaturesChecked > 0 &&
    webhooks.signaturesVerified === webhooks.signaturesChecked,
});
