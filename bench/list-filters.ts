/**
 * Indexed list filters (issue 14, item 2): one partner with 50,000 requests, 10 of them
 * CANCELLED, and a second partner beside it, seeded into a local stack's table with the
 * store's own items (every index key). Each filtered first page is measured with the list the
 * handlers run ("after") and, for `?status=CANCELLED`, with the previous list (bench/
 * list-baseline.ts, "before"): read units, DynamoDB calls and latency called directly against
 * the same dynalite, and the latency of the same query through the local API.
 */

import { loadavg } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { requestItem } from '../functions/adapters/request-items.ts';
import { queryPartnerRequests } from '../functions/adapters/request-list-query.ts';
import type { ListPage } from '../functions/domain/ports.ts';
import { matchesFilter, type RequestFilter } from '../functions/domain/request-filters.ts';
import { newRequestId } from '../functions/shared/crypto.ts';
import { RequestStatus } from '../functions/shared/status.ts';
import { previousQueryPartnerRequests } from './list-baseline.ts';
import type { ListFiltersStackInfo } from './list-filters-stack.ts';
import {
  expiresBeforeFor,
  PROBE_DOMAIN,
  type SeedSpec,
  seededRequest,
  seedStatuses,
  statusCounts,
} from './list-seed.ts';
import { startPhase } from './phase-process.ts';
import { meterReads, type ReadMeter, type ReadTotals, readTotals } from './read-meter.ts';
import { interleavedOrder, type Latency, latencyOf } from './stats.ts';

type PartnerSpec = Omit<SeedSpec, 'partnerId' | 'partnerName'>;

export interface ListFiltersSettings {
  /** The measured partner (`local-partner-1`). */
  readonly partner: PartnerSpec;
  /** Another partner in the same table (`local-partner-2`), with CANCELLED requests of its own. */
  readonly otherPartner: PartnerSpec;
  readonly limit: number;
  /** Pending requests before the measured `expiresBefore`. */
  readonly expiringMatches: number;
  /** BatchWriteItem calls (25 items each) in flight while seeding. */
  readonly writeConcurrency: number;
  /** Calls per query before the measured ones, directly and through the API. */
  readonly warmUpCalls: number;
  /** Measured calls per query, interleaved over the queries. */
  readonly measuredCalls: number;
}

export const LIST_FILTER_SETTINGS: ListFiltersSettings = {
  partner: {
    domainPrefix: 'p1',
    requests: 50_000,
    cancelled: 10,
    probeDomainRequests: 5,
    activeEvery: 250,
    declinedEvery: 500,
    // Within the first reminder (30 days after a create): no seeded request is due for a wake,
    // so the stack's sweep finds nothing to do while the phase runs.
    spanDays: 20,
  },
  otherPartner: {
    domainPrefix: 'p2',
    requests: 3_000,
    cancelled: 30,
    probeDomainRequests: 3,
    activeEvery: 250,
    declinedEvery: 500,
    spanDays: 20,
  },
  limit: 25,
  expiringMatches: 5,
  // Measured seeding 13,000 items (2026-12-02, 2 CPUs at load 4-5): 747 items/s with 2 in
  // flight, 1,239 with 4, 1,533-1,621 with 8, 1,373 with 16, 900 with 32.
  writeConcurrency: 8,
  warmUpCalls: 5,
  measuredCalls: 30,
};

export interface SeededPartner {
  readonly partnerId: string;
  readonly requests: number;
  readonly statuses: Record<string, number>;
}

export interface Seeding {
  readonly items: number;
  readonly batchWrites: number;
  readonly seconds: number;
  readonly partners: readonly SeededPartner[];
}

/** One first page of one list: what it returned and what it cost. */
export interface PageMeasurement extends ReadTotals {
  readonly items: number;
  readonly nextCursor: boolean;
  /** The direct call, after a warm-up. */
  readonly latencyMs: Latency;
}

export interface QueryRow {
  /** The API's query string. */
  readonly query: string;
  /** The partner's requests the filter names. */
  readonly matches: number;
  readonly after: PageMeasurement;
  /** The same query through the local API (gateway, authorizer, handler). */
  readonly apiMs: Latency;
  /** Only for the status filter the previous list had. */
  readonly before?: PageMeasurement;
}

/** Paging until the cursor is null or every match is found. */
export interface Collected extends ReadTotals {
  readonly pages: number;
  readonly found: number;
  readonly ms: number;
}

export interface ListFiltersResult {
  readonly settings: ListFiltersSettings;
  readonly seeding: Seeding;
  readonly rows: readonly QueryRow[];
  /** Every CANCELLED request of the partner, before and after. */
  readonly collectAll: { readonly before: Collected; readonly after: Collected };
  /** 1-minute load average when the measuring began and when it ended. */
  readonly load: readonly [start: number, end: number];
}

interface Target {
  readonly query: string;
  readonly filter: RequestFilter;
  readonly matches: number;
}

type ListFunction = (
  client: DynamoDBDocumentClient,
  tableName: string,
  partnerId: string,
  options: RequestFilter & { limit: number; cursor?: string },
) => Promise<ListPage>;

const previousList: ListFunction = (client, tableName, partnerId, options) =>
  previousQueryPartnerRequests(client, tableName, partnerId, {
    limit: options.limit,
    status: options.status,
    cursor: options.cursor,
  });

const documentClientOf = (endpoint: string) => {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  // Marshalled as the handlers' client (functions/adapters/clients.ts).
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
};

const BATCH = 25;

/** Writes every item of every spec, `concurrency` BatchWriteItem calls at a time. */
const seed = async (
  documents: DynamoDBDocumentClient,
  tableName: string,
  specs: readonly SeedSpec[],
  concurrency: number,
  now: Date,
): Promise<Seeding> => {
  const batches: { spec: SeedSpec; statuses: readonly RequestStatus[]; from: number }[] = [];
  const partners: SeededPartner[] = [];
  for (const spec of specs) {
    const statuses = seedStatuses(spec);
    partners.push({
      partnerId: spec.partnerId,
      requests: spec.requests,
      statuses: statusCounts(statuses),
    });
    for (let from = 0; from < spec.requests; from += BATCH) batches.push({ spec, statuses, from });
  }
  const writeBatch = async ({ spec, statuses, from }: (typeof batches)[number]) => {
    let requests = statuses.slice(from, from + BATCH).map((status, offset) => ({
      PutRequest: {
        Item: requestItem(seededRequest(spec, from + offset, status, newRequestId(), now)),
      },
    }));
    for (let round = 0; requests.length > 0; round++) {
      if (round === 8) throw new Error('BatchWriteItem left items unprocessed');
      const result = await documents.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
      );
      requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  };
  const startedAt = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches.length) {
        const batch = batches[next++] as (typeof batches)[number];
        await writeBatch(batch);
      }
    }),
  );
  return {
    items: specs.reduce((sum, spec) => sum + spec.requests, 0),
    batchWrites: batches.length,
    seconds: (performance.now() - startedAt) / 1000,
    partners,
  };
};

/** Refuses a page that is not what the seeded table says it must be: no figure of a wrong answer. */
const checkPage = (
  what: string,
  page: ListPage,
  target: Target,
  partnerId: string,
  limit: number,
  pageMayBeShort: boolean,
) => {
  const wrong = page.items.filter(
    (item) => item.partnerId !== partnerId || !matchesFilter(item, target.filter),
  );
  if (wrong.length > 0) throw new Error(`${what}: ${wrong.length} items outside the filter`);
  const full = Math.min(target.matches, limit);
  if (!pageMayBeShort && page.items.length !== full) {
    throw new Error(`${what}: ${page.items.length} items, ${full} expected`);
  }
  if (!pageMayBeShort && (page.nextCursor !== null) !== target.matches > limit) {
    throw new Error(`${what}: nextCursor ${page.nextCursor} with ${target.matches} matches`);
  }
};

const timed = async <T>(call: () => Promise<T>): Promise<[T, number]> => {
  const startedAt = performance.now();
  const value = await call();
  return [value, performance.now() - startedAt];
};

const collect = async (
  list: ListFunction,
  documents: DynamoDBDocumentClient,
  meter: ReadMeter,
  tableName: string,
  partnerId: string,
  target: Target,
  limit: number,
): Promise<Collected> => {
  meter.reset();
  const startedAt = performance.now();
  let cursor: string | undefined;
  let pages = 0;
  let found = 0;
  for (;;) {
    const page = await list(documents, tableName, partnerId, { ...target.filter, limit, cursor });
    pages += 1;
    found += page.items.length;
    if (page.nextCursor === null || found === target.matches) break;
    cursor = page.nextCursor;
  }
  const ms = performance.now() - startedAt;
  if (found !== target.matches) throw new Error(`Collected ${found} of ${target.matches}`);
  return { ...readTotals(meter.reads()), pages, found, ms };
};

export const measureListFilters = async (
  settings: ListFiltersSettings = LIST_FILTER_SETTINGS,
): Promise<ListFiltersResult> => {
  const phase = await startPhase<ListFiltersStackInfo>('./list-filters-stack.ts');
  const documents = documentClientOf(phase.info.dynamoUrl);
  try {
    const { tableName, partners } = phase.info;
    const [partner, other] = partners as [
      ListFiltersStackInfo['partners'][number],
      ListFiltersStackInfo['partners'][number],
    ];
    const now = new Date();
    const spec: SeedSpec = {
      ...settings.partner,
      partnerId: partner.id,
      partnerName: 'Local Partner 1',
    };
    const specs: SeedSpec[] = [
      spec,
      { ...settings.otherPartner, partnerId: other.id, partnerName: 'Local Partner 2' },
    ];
    const seeding = await seed(documents, tableName, specs, settings.writeConcurrency, now);
    const statuses = seedStatuses(spec);
    const counts = statusCounts(statuses);
    const expiresBefore = expiresBeforeFor(spec, statuses, settings.expiringMatches, now);
    const { limit } = settings;
    const targets: Target[] = [
      {
        query: `status=CANCELLED`,
        filter: { status: RequestStatus.CANCELLED },
        matches: counts.CANCELLED ?? 0,
      },
      {
        query: `status=ACTIVE`,
        filter: { status: RequestStatus.ACTIVE },
        matches: counts.ACTIVE ?? 0,
      },
      {
        query: `accountDomain=${PROBE_DOMAIN}`,
        filter: { accountDomain: PROBE_DOMAIN },
        matches: settings.partner.probeDomainRequests,
      },
      {
        query: `status=PENDING_ACTIVATION&expiresBefore=${expiresBefore}`,
        filter: { status: RequestStatus.PENDING_ACTIVATION, expiresBefore },
        matches: settings.expiringMatches,
      },
      { query: '', filter: {}, matches: spec.requests },
    ];
    const cancelled = targets[0] as Target;

    const meter = meterReads(documents);
    // Direct calls: the lists measured one after the other per round, the previous list only
    // for the filter it had.
    const lists = [
      ...targets.map((target) => ({
        target,
        list: queryPartnerRequests as ListFunction,
        before: false,
      })),
      { target: cancelled, list: previousList, before: true },
    ];
    const loadAtStart = loadavg()[0] ?? 0;
    const firstPages = new Map<(typeof lists)[number], { page: ListPage; totals: ReadTotals }>();
    const samples = new Map<(typeof lists)[number], number[]>(lists.map((entry) => [entry, []]));
    for (const entry of lists) {
      for (let i = 0; i < settings.warmUpCalls; i++) {
        await entry.list(documents, tableName, partner.id, { ...entry.target.filter, limit });
      }
    }
    for (const entry of interleavedOrder(lists, settings.measuredCalls)) {
      meter.reset();
      const [page, ms] = await timed(() =>
        entry.list(documents, tableName, partner.id, { ...entry.target.filter, limit }),
      );
      samples.get(entry)?.push(ms);
      if (!firstPages.has(entry)) {
        checkPage(
          `${entry.before ? 'previous' : 'current'} list ?${entry.target.query}`,
          page,
          entry.target,
          partner.id,
          limit,
          entry.before,
        );
        firstPages.set(entry, { page, totals: readTotals(meter.reads()) });
      }
    }
    const measurement = (entry: (typeof lists)[number]): PageMeasurement => {
      const first = firstPages.get(entry);
      if (!first) throw new Error(`No page of ?${entry.target.query}`);
      return {
        ...first.totals,
        items: first.page.items.length,
        nextCursor: first.page.nextCursor !== null,
        latencyMs: latencyOf(samples.get(entry) ?? []),
      };
    };

    // Through the API: the same queries, interleaved the same way.
    const apiSamples = new Map<Target, number[]>(targets.map((target) => [target, []]));
    const get = async (target: Target) => {
      const query = new URLSearchParams(target.query);
      query.set('limit', String(limit));
      const response = await fetch(`${phase.info.apiUrl}/v1/smart-account-requests?${query}`, {
        headers: { Authorization: `Bearer ${partner.key}` },
      });
      const body = (await response.json()) as { items?: unknown[] };
      const expected = Math.min(target.matches, limit);
      if (response.status !== 200 || body.items?.length !== expected) {
        throw new Error(
          `GET ?${query} answered ${response.status} with ${body.items?.length} items, ${expected} expected`,
        );
      }
    };
    for (const target of targets) {
      for (let i = 0; i < settings.warmUpCalls; i++) await get(target);
    }
    for (const target of interleavedOrder(targets, settings.measuredCalls)) {
      const [, ms] = await timed(() => get(target));
      apiSamples.get(target)?.push(ms);
    }

    const collectAll = {
      before: await collect(
        previousList,
        documents,
        meter,
        tableName,
        partner.id,
        cancelled,
        limit,
      ),
      after: await collect(
        queryPartnerRequests,
        documents,
        meter,
        tableName,
        partner.id,
        cancelled,
        limit,
      ),
    };
    const beforeEntry = lists.at(-1) as (typeof lists)[number];
    return {
      settings,
      seeding,
      rows: targets.map((target, index) => ({
        query: target.query,
        matches: target.matches,
        after: measurement(lists[index] as (typeof lists)[number]),
        apiMs: latencyOf(apiSamples.get(target) ?? []),
        ...(target === cancelled ? { before: measurement(beforeEntry) } : {}),
      })),
      collectAll,
      load: [loadAtStart, loadavg()[0] ?? 0],
    };
  } finally {
    documents.destroy();
    await phase.close();
  }
};

/** `npx tsx bench/list-filters.ts [requests]`: this phase alone, with its section. */
if (import.meta.url === `file://${process.argv[1]}`) {
  const { listFiltersSection } = await import('./list-filters-report.ts');
  const requests = process.argv[2]
    ? Number(process.argv[2])
    : LIST_FILTER_SETTINGS.partner.requests;
  const startedAt = performance.now();
  const result = await measureListFilters({
    ...LIST_FILTER_SETTINGS,
    partner: { ...LIST_FILTER_SETTINGS.partner, requests },
  });
  console.log(listFiltersSection(result));
  console.log(`${((performance.now() - startedAt) / 1000).toFixed(0)} s`);
}
