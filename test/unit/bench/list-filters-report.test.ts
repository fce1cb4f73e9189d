import { describe, expect, it } from 'vitest';
import {
  LIST_FILTER_SETTINGS,
  type ListFiltersResult,
  type PageMeasurement,
} from '../../../bench/list-filters.ts';
import { listFilterBudgetInput, listFiltersSection } from '../../../bench/list-filters-report.ts';

const page = (overrides: Partial<PageMeasurement>): PageMeasurement => ({
  calls: 2,
  queries: 1,
  batchGets: 1,
  readUnits: 5.5,
  queryUnits: 0.5,
  batchGetUnits: 5,
  evaluated: 20,
  items: 10,
  nextCursor: false,
  latencyMs: { n: 30, p50: 6, p95: 9, max: 12 },
  ...overrides,
});

const result: ListFiltersResult = {
  settings: LIST_FILTER_SETTINGS,
  seeding: {
    items: 53_000,
    batchWrites: 2_120,
    seconds: 100,
    partners: [
      {
        partnerId: 'local-partner-1',
        requests: 50_000,
        statuses: { PENDING_ACTIVATION: 49_990, CANCELLED: 10 },
      },
      { partnerId: 'local-partner-2', requests: 3_000, statuses: { PENDING_ACTIVATION: 3_000 } },
    ],
  },
  rows: [
    {
      query: 'status=CANCELLED',
      matches: 10,
      after: page({}),
      apiMs: { n: 30, p50: 8, p95: 11, max: 15 },
      before: page({
        queries: 10,
        batchGets: 0,
        readUnits: 165,
        queryUnits: 165,
        batchGetUnits: 0,
        evaluated: 1_000,
        items: 0,
        nextCursor: true,
      }),
    },
    {
      query: '',
      matches: 50_000,
      after: page({
        queries: 1,
        batchGets: 0,
        readUnits: 4.5,
        queryUnits: 4.5,
        batchGetUnits: 0,
        items: 25,
        nextCursor: true,
      }),
      apiMs: { n: 30, p50: 7, p95: 10, max: 14 },
    },
  ],
  collectAll: {
    before: {
      calls: 480,
      queries: 480,
      batchGets: 0,
      readUnits: 7_920,
      queryUnits: 7_920,
      batchGetUnits: 0,
      evaluated: 48_000,
      pages: 48,
      found: 10,
      ms: 18_688,
    },
    after: {
      calls: 2,
      queries: 1,
      batchGets: 1,
      readUnits: 5.5,
      queryUnits: 0.5,
      batchGetUnits: 5,
      evaluated: 20,
      pages: 1,
      found: 10,
      ms: 21.4,
    },
  },
  load: [0.5, 0.7],
};

describe('the list-filter section', () => {
  it('shows the previous list above the current one for the status filter, without an API latency it never had', () => {
    const lines = listFiltersSection(result).split('\n');
    const before = lines.find((line) => line.startsWith('?status=CANCELLED&limit=25'));
    expect(before?.split(/\s{2,}/)).toEqual([
      '?status=CANCELLED&limit=25',
      '10',
      'before',
      '0',
      'yes',
      '10 + 0',
      '1,000',
      '165',
      '6.0',
      '9.0',
      '-',
      '-',
    ]);
    const after = lines[lines.indexOf(before as string) + 1]?.trim().split(/\s{2,}/);
    expect(after).toEqual([
      'after',
      '10',
      'null',
      '1 + 1',
      '20',
      '5.5 = 0.5 + 5',
      '6.0',
      '9.0',
      '8.0',
      '11.0',
    ]);
  });

  it('says what collecting every CANCELLED request cost each list', () => {
    expect(listFiltersSection(result)).toContain(
      'before 48 pages, 480 Query + 0 BatchGetItem, 48,000 items evaluated, 7,920 read units, 18.7 s; after 1 page, 1 Query + 1 BatchGetItem, 20 items evaluated, 5.5 read units, 21.4 ms',
    );
  });

  it('budgets the filtered pages only: the unfiltered page is not a filter', () => {
    expect(listFilterBudgetInput(result)).toEqual({
      limit: 25,
      partnerRequests: 50_000,
      pages: [{ query: '?status=CANCELLED&limit=25', readUnits: 5.5 }],
    });
  });
});
