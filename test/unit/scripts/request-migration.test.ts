import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('bringing requests stored before the filters and counters up to date', () => {
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

    expect(await migrateRequests(table.documents, table.tableName)).toEqual({
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
