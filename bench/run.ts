/**
 * `npm run bench`: cold-start proxy per Lambda bundle, API overhead against the bare work,
 * per-request cost per outcome, the sweep's read cost against settled requests, webhook
 * delivery latency beside a slow and a failing endpoint, the list filters' read cost on a
 * partner with 50,000 requests, the throughput of 100-item batch creates, and the budgets of
 * issues 6, 13 and 14. Prints a table per part and ends with one SUMMARY line; exits 1 when a
 * budget does not hold. `--json <file>` also writes every figure. See docs/performance.md.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureApiOverhead } from './api-overhead.ts';
import { BATCH_SETTINGS, measureBatchCreate } from './batch-create.ts';
import { batchBudgetInput, batchCreateSection } from './batch-report.ts';
import { checkBudgets } from './budgets.ts';
import { bundleHandlers, bundleReference, loadBundlePlan, PROJECT_ROOT } from './bundles.ts';
import { measureLoads } from './cold-start.ts';
import { measureCosts } from './cost.ts';
import { LIST_FILTER_SETTINGS, measureListFilters } from './list-filters.ts';
import { listFilterBudgetInput, listFiltersSection } from './list-filters-report.ts';
import { describeMachine, machine } from './machine.ts';
import {
  apiRatio,
  apiSection,
  budgetSection,
  coldStartRows,
  coldStartSection,
  costSection,
  summaryLine,
  webhookBudgetInput,
  webhookSection,
} from './report.ts';
import { scansUnder } from './scan-check.ts';
import { measureSweepCost, sweepCostSection } from './sweep-cost.ts';
import { measureWebhookDelivery, WEBHOOK_SETTINGS } from './webhook-delivery.ts';

const SETTINGS = {
  /** Fresh processes per bundle; the reference is loaded twice per round. */
  loadRounds: 9,
  api: { connections: 4, warmupRequests: 30, requestsPerRound: 100, rounds: 2 },
  /**
   * Short enough for `expired` to end within the run, long enough for the rest to finish and
   * for three reminders (bench/cost-stack.ts) before it.
   */
  activationTimeoutSeconds: 6,
  /** Issue 13: events to a healthy receiver alone and beside a slow and a failing one. */
  webhooks: WEBHOOK_SETTINGS,
  /** Issue 14: filtered list pages of a partner with 50,000 requests, before and after. */
  listFilters: LIST_FILTER_SETTINGS,
  /** Issue 14: 100-item batches one after the other and 4 at once. */
  batches: BATCH_SETTINGS,
} as const;

const jsonFile = (() => {
  const index = process.argv.indexOf('--json');
  return index >= 0 ? process.argv[index + 1] : undefined;
})();

const startedAt = performance.now();
const before = machine();
console.log(`Smart Account Requests benchmark: ${describeMachine(before)}\n`);

const phaseSeconds: Record<string, number> = {};
let phaseStartedAt = performance.now();
const phaseDone = (name: string) => {
  const now = performance.now();
  phaseSeconds[name] = (now - phaseStartedAt) / 1000;
  phaseStartedAt = now;
};

const dir = await mkdtemp(join(tmpdir(), 'sar-bench-'));
try {
  const plan = await loadBundlePlan();
  const [reference, handlerBundles] = await Promise.all([
    bundleReference(plan, dir),
    bundleHandlers(plan, dir),
  ]);
  phaseDone('bundle');
  // The reference twice per round: every ratio divides by it.
  const loads = await measureLoads(
    [reference, ...handlerBundles, reference],
    dir,
    SETTINGS.loadRounds,
  );
  const [referenceLoad, ...rest] = loads;
  if (!referenceLoad) throw new Error('No reference load');
  const handlerLoads = rest.slice(0, handlerBundles.length);
  const coldRows = coldStartRows(referenceLoad, handlerLoads);
  phaseDone('load');
  console.log(`${coldStartSection(coldRows, SETTINGS.loadRounds, plan.source)}\n`);

  const api = await measureApiOverhead(SETTINGS.api);
  phaseDone('api');
  console.log(`${apiSection(api, SETTINGS.api.rounds, SETTINGS.api.requestsPerRound)}\n`);

  const cost = await measureCosts(SETTINGS.activationTimeoutSeconds);
  phaseDone('cost');
  console.log(`${costSection(cost)}\n`);

  const sweep = await measureSweepCost();
  phaseDone('sweep');
  console.log(`${sweepCostSection(sweep)}\n`);

  const webhooks = await measureWebhookDelivery(SETTINGS.webhooks);
  phaseDone('webhooks');
  console.log(`${webhookSection(webhooks)}\n`);

  const listFilters = await measureListFilters(SETTINGS.listFilters);
  phaseDone('listFilters');
  console.log(`${listFiltersSection(listFilters)}\n`);

  const batches = await measureBatchCreate(SETTINGS.batches);
  phaseDone('batches');
  console.log(`${batchCreateSection(batches)}\n`);

  const scans = await scansUnder(join(PROJECT_ROOT, 'functions'), PROJECT_ROOT);
  const activated = cost.outcomes.find(({ measurement }) => measurement.outcome === 'activated');
  const checks = checkBudgets({
    bundles: coldRows.slice(1).map((row) => ({
      name: row.name,
      bytes: row.bytes,
      loadRatio: row.importRatio,
    })),
    apiOverheadRatio: apiRatio(api),
    activatedTransitions: activated?.usage.stateTransitions ?? Number.POSITIVE_INFINITY,
    scans: scans.length,
    webhooks: webhookBudgetInput(webhooks),
    listFilters: listFilterBudgetInput(listFilters),
    batches: batchBudgetInput(batches),
  });
  console.log(budgetSection(checks));
  for (const scan of scans) console.log(`   Scan: ${scan.file}:${scan.line}: ${scan.text}`);
  const after = machine();
  console.log(
    `\nLoad average ${before.load.toFixed(2)} before, ${after.load.toFixed(2)} after (${after.cpus} CPUs): other work on the machine inflates latency and load times.`,
  );
  console.log(
    `Phases: ${Object.entries(phaseSeconds)
      .map(([name, seconds]) => `${name} ${seconds.toFixed(1)} s`)
      .join(', ')}`,
  );

  if (jsonFile) {
    await writeFile(
      jsonFile,
      JSON.stringify(
        {
          machine: before,
          settings: SETTINGS,
          coldStart: coldRows,
          api,
          cost,
          sweep,
          webhooks,
          listFilters,
          batches,
          checks,
          scans,
        },
        null,
        2,
      ),
    );
  }
  const seconds = (performance.now() - startedAt) / 1000;
  console.log(summaryLine(checks, activated?.per1000.total, seconds));
  process.exitCode = checks.every((check) => check.holds) ? 0 : 1;
} finally {
  await rm(dir, { recursive: true, force: true });
}
