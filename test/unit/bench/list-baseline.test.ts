import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previousQueryPartnerRequests } from '../../../bench/list-baseline.ts';
import { type SeedSpec, seededRequest, seedStatuses } from '../../../bench/list-seed.ts';
import { meterReads, type ReadMeter, readTotals } from '../../../bench/read-meter.ts';
import { requestItem } from '../../../functions/adapters/request-items.ts';
import { queryPartnerRequests } from '../../../functions/adapters/request-list-query.ts';
import { RequestStatus } from '../../../functions/shared/status.ts';
import { type DynaliteTable, startDynaliteTable } from '../../support/dynalite-table.ts';

// 2,400 requests, 2 of them CANCELLED (the 600th and the 1,800th newest): one inside the
// previous list's first page of 1,000 evaluated, the other past it.
const spec: SeedSpec = {
  partnerId: 'partner-b',
  partnerName: 'Partner B',
  domainPrefix: 'b',
  requests: 2_400,
  cancelled: 2,
  probeDomainRequests: 1,
  activeEvery: 250,
  declinedEvery: 500,
  spanDays: 20,
};
const NOW = new Date('2026-12-02T12:00:00.000Z');

let table: DynaliteTable;
let meter: ReadMeter;

beforeAll(async () => {
  table = await startDynaliteTable('list-baseline');
  const items = seedStatuses(spec).map((status, index) =>
    requestItem(seededRequest(spec, index, status, `sar_${String(index).padStart(5, '0')}`, NOW)),
  );
  for (let i = 0; i < items.length; i += 25) {
    await table.documents.send(
      new BatchWriteCommand({
        RequestItems: {
          [table.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
        },
      }),
    );
  }
  meter = meterReads(table.documents);
});

afterAll(async () => {
  await table.stop();
});

const cancelled = { limit: 25, status: RequestStatus.CANCELLED };

describe('the previous list (bench baseline)', () => {
  it('reads 100 of the partner’s requests per round and gives up after 10 rounds with a short page and a cursor', async () => {
    meter.reset();
    const page = await previousQueryPartnerRequests(
      table.documents,
      table.tableName,
      spec.partnerId,
      cancelled,
    );
    expect(page.items.map((item) => item.status)).toEqual([RequestStatus.CANCELLED]);
    expect(page.nextCursor).not.toBeNull();
    const totals = readTotals(meter.reads());
    expect(totals).toMatchObject({ queries: 10, batchGets: 0, evaluated: 1_000 });
    // Whole items (GSI1 projects ALL): far more than the one it returned.
    expect(totals.readUnits).toBeGreaterThan(50);

    meter.reset();
    const next = await previousQueryPartnerRequests(
      table.documents,
      table.tableName,
      spec.partnerId,
      {
        ...cancelled,
        cursor: page.nextCursor as string,
      },
    );
    expect(next.items.map((item) => item.status)).toEqual([RequestStatus.CANCELLED]);
    expect(readTotals(meter.reads()).evaluated).toBe(1_000);
  });
});

describe('the current list, metered the same way', () => {
  it('reads only the status index’s entries and the matching items, in one Query and one BatchGetItem', async () => {
    meter.reset();
    const page = await queryPartnerRequests(
      table.documents,
      table.tableName,
      spec.partnerId,
      cancelled,
    );
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).toBeNull();
    // dynalite reports the units: 2 index entries (under 4 KB together) and 2 items by key.
    expect(meter.reads()).toEqual([
      { operation: 'Query', readUnits: 0.5, evaluated: 2, returned: 2 },
      { operation: 'BatchGetItem', readUnits: 1, evaluated: 2, returned: 2 },
    ]);
  });
});
