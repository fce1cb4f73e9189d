import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDomainLocks } from '../../../functions/adapters/dynamo-domain-locks.ts';
import { DynamoRequestStore } from '../../../functions/adapters/dynamo-request-store.ts';
import { DynamoStatusCounts } from '../../../functions/adapters/dynamo-status-counts.ts';
import { requestItem } from '../../../functions/adapters/request-items.ts';
import { FILTER_ATTRIBUTES } from '../../../functions/adapters/table-keys.ts';
import { newRequestId } from '../../../functions/shared/crypto.ts';
import { migrateRequests } from '../../../scripts/request-migration.ts';
import { type DynaliteTable, startDynaliteTable } from '../../support/dynalite-table.ts';
import { aRequest } from '../../support/in-memory-stores.ts';

let table: DynaliteTable;

beforeAll(async () => {
  table = await startDynaliteTable();
});

afterAll(async () => {
  await table?.stop();
});

/** A request item as the version before the filter indexes and counters wrote it. */
const legacyItem = (overrides: Parameters<typeof aRequest>[0]) => {
  const item = requestItem(aRequest({ id: newRequestId(), ...overrides }));
  for (const attribute of Object.values(FILTER_ATTRIBUTES)) delete item[attribute];
  delete item.countedStatus;
  return item;
};

describe('bringing requests stored before the filters, counters and retention up to date', () => {
  it('dates the deletion of a request settled before, and marks an activated account’s lock', async () => {
    const partnerId = 'partner-settled';
    const activated = legacyItem({
      partnerId,
      accountDomain: 'settled-active.example',
      status: 'ACTIVE',
      notifiedStatus: 'ACTIVE',
      activatedAt: '2026-10-01T00:00:00.000Z',
    });
    const expired = legacyItem({
      partnerId,
      accountDomain: 'settled-expired.example',
      status: 'EXPIRED',
      notifiedStatus: 'EXPIRED',
      closedAt: '2026-10-02T00:00:00.000Z',
    });
    for (const Item of [activated, expired]) {
      await table.documents.send(new PutCommand({ TableName: table.tableName, Item }));
    }
    const locks = new DynamoDomainLocks(table.documents, table.tableName);
    await locks.take({
      domain: 'settled-active.example',
      requestId: activated.id as string,
      lockedAt: '2026-09-01T00:00:00.000Z',
    });

    await migrateRequests(table.documents, table.tableName, {
      force: true,
      retention: { days: 400, bySweep: true },
    });

    const requests = new DynamoRequestStore(table.documents, table.tableName);
    expect(await requests.get(activated.id as string)).toMatchObject({
      retainUntil: '2027-11-05T00:00:00.000Z',
      sweepAt: '2027-11-05T00:00:00.000Z',
    });
    expect((await requests.get(expired.id as string))?.retainUntil).toBe(
      '2027-11-06T00:00:00.000Z',
    );
    expect((await locks.get('settled-active.example'))?.activatedAt).toBe(
      '2026-10-01T00:00:00.000Z',
    );
  });

  it('gives them their filter keys and counts each once, and runs once', async () => {
    const partnerId = 'partner-legacy';
    const pending = legacyItem({ partnerId, accountDomain: 'old-one.example' });
    const cancelled = legacyItem({
      partnerId,
      accountDomain: 'old-two.example',
      status: 'CANCELLED',
    });
    for (const Item of [pending, cancelled]) {
      await table.documents.send(new PutCommand({ TableName: table.tableName, Item }));
    }
    const requests = new DynamoRequestStore(table.documents, table.tableName);
    const counts = new DynamoStatusCounts(table.documents, table.tableName);
    expect(
      (await requests.listByPartner(partnerId, { limit: 10, status: 'CANCELLED' })).items,
    ).toEqual([]);

    // Forced: the case above ran it on this table already.
    expect(await migrateRequests(table.documents, table.tableName, { force: true })).toEqual({
      looked: 2,
      updated: 2,
      skipped: false,
    });

    expect(
      (await requests.listByPartner(partnerId, { limit: 10, status: 'CANCELLED' })).items.map(
        (r) => r.id,
      ),
    ).toEqual([cancelled.id]);
    expect(
      (
        await requests.listByPartner(partnerId, { limit: 10, accountDomain: 'old-one.example' })
      ).items.map((r) => r.id),
    ).toEqual([pending.id]);
    expect(await counts.read(partnerId)).toMatchObject({ PENDING_ACTIVATION: 1, CANCELLED: 1 });

    expect(await migrateRequests(table.documents, table.tableName)).toMatchObject({
      skipped: true,
    });
    expect(await migrateRequests(table.documents, table.tableName, { force: true })).toMatchObject({
      looked: 0,
    });
    expect(await counts.read(partnerId)).toMatchObject({ PENDING_ACTIVATION: 1, CANCELLED: 1 });
  });
});
