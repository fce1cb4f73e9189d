import type { BudgetInput } from './budgets.ts';
import { ms, table } from './format.ts';
import type { Collected, ListFiltersResult, PageMeasurement, QueryRow } from './list-filters.ts';

const thousands = (value: number) => value.toLocaleString('en-US');
/** Read units as measured (halves included), thousands separated: 5.5, 14.5, 7,920. */
const units = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: 2 });
const duration = (milliseconds: number) =>
  milliseconds >= 1_000 ? `${(milliseconds / 1000).toFixed(1)} s` : `${ms(milliseconds)} ms`;

const statusText = (statuses: Record<string, number>) =>
  Object.entries(statuses)
    .sort(([, a], [, b]) => b - a)
    .map(([status, n]) => `${thousands(n)} ${status}`)
    .join(', ');

const queryText = (row: QueryRow, limit: number) =>
  `?${row.query ? `${row.query}&` : ''}limit=${limit}`;

const pageCells = (page: PageMeasurement) => [
  String(page.items),
  page.nextCursor ? 'yes' : 'null',
  `${page.queries} + ${page.batchGets}`,
  thousands(page.evaluated),
  page.batchGets > 0
    ? `${units(page.readUnits)} = ${units(page.queryUnits)} + ${units(page.batchGetUnits)}`
    : units(page.readUnits),
  ms(page.latencyMs.p50),
  ms(page.latencyMs.p95),
];

const collectedText = (collected: Collected) =>
  `${collected.pages} page${collected.pages === 1 ? '' : 's'}, ${collected.queries} Query + ${collected.batchGets} BatchGetItem, ${thousands(collected.evaluated)} items evaluated, ${units(collected.readUnits)} read units, ${duration(collected.ms)}`;

export const listFiltersSection = (result: ListFiltersResult): string => {
  const { settings, seeding } = result;
  const [partner, other] = seeding.partners;
  const rows = result.rows.flatMap((row) => {
    const query = [queryText(row, settings.limit), thousands(row.matches)];
    const after = ['after', ...pageCells(row.after), ms(row.apiMs.p50), ms(row.apiMs.p95)];
    if (!row.before) return [[...query, ...after]];
    // The previous list never ran behind the API here: it has no API latency.
    return [
      [...query, 'before', ...pageCells(row.before), '-', '-'],
      ['', '', ...after],
    ];
  });
  return [
    `5. List filters (issue 14): ${partner?.partnerId} with ${thousands(partner?.requests ?? 0)} requests (${statusText(partner?.statuses ?? {})}) and ${other?.partnerId} with ${thousands(other?.requests ?? 0)} (${statusText(other?.statuses ?? {})}) in one local table`,
    `   seeded with ${thousands(seeding.batchWrites)} BatchWriteItem calls of the store's own items (requestItem: every index key), ${settings.writeConcurrency} in flight: ${ms(seeding.seconds)} s, ${thousands(Math.round(seeding.items / seeding.seconds))} items/s`,
    `   before = the previous list (GSI1 with a status FilterExpression, 100 per round, 10 rounds a page; bench/list-baseline.ts); after = the current one (a filter index, then BatchGetItem of the page). Direct: the list function on the same dynalite, ${settings.measuredCalls} interleaved calls each after ${settings.warmUpCalls}; API: GET /v1/smart-account-requests through the local gateway, the same way.`,
    table(
      [
        'query',
        'matches',
        'list',
        'items',
        'cursor',
        'Query + BatchGet',
        'evaluated',
        'read units (Query + BatchGet)',
        'p50 ms',
        'p95 ms',
        'API p50',
        'API p95',
      ],
      rows,
      ['left', 'right', 'left'],
    ),
    `   every CANCELLED request, paging until the cursor is null or all are found: before ${collectedText(result.collectAll.before)}; after ${collectedText(result.collectAll.after)}`,
    "   read units as dynalite reports them with ReturnConsumedCapacity TOTAL, by DynamoDB's rules: a Query the items it evaluated (as projected into the index) rounded up to 4 KB, a BatchGetItem each item rounded up to 4 KB, eventually consistent at half.",
    `   load average ${result.load[0].toFixed(2)} when the measuring began, ${result.load[1].toFixed(2)} when it ended.`,
  ].join('\n');
};

/** What the budget needs: the filtered first pages (the unfiltered one is not a filter). */
export const listFilterBudgetInput = (result: ListFiltersResult): BudgetInput['listFilters'] => ({
  limit: result.settings.limit,
  partnerRequests: result.seeding.partners[0]?.requests ?? 0,
  pages: result.rows
    .filter((row) => row.query !== '')
    .map((row) => ({
      query: queryText(row, result.settings.limit),
      readUnits: row.after.readUnits,
    })),
});
