import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoSweepStore } from '../functions/adapters/dynamo-sweep-store.ts';
import { requestItem } from '../functions/adapters/request-items.ts';
import { newRequestId } from '../functions/shared/crypto.ts';
import { RequestStatus } from '../functions/shared/status.ts';
import { startDynaliteTable } from '../test/support/dynalite-table.ts';
import { aRequest } from '../test/support/in-memory-stores.ts';
import { meterDynamoDb } from './dynamo-meter.ts';

/**
 * The sweep's read cost per pass against how many settled requests the table holds: settled
 * requests are not in the sparse sweep index, so the cost must stay the same. One table grows
 * from the first size to the next; the same unsettled requests are in it throughout.
 */
export interface SweepCostRow {
  readonly settled: number;
  readonly unsettled: number;
  /** Requests the pass looked at (sweepAt due). */
  readonly looked: number;
  readonly queries: number;
  readonly readUnits: number;
  readonly ms: number;
}

const NOW = new Date();
const past = new Date(NOW.getTime() - 60_000).toISOString();

const settledItem = () =>
  requestItem({
    ...aRequest({ id: newRequestId(), status: RequestStatus.ACTIVE }),
    notifiedStatus: RequestStatus.ACTIVE,
    activatedAt: past,
  });

const unsettledItem = (due: boolean) =>
  requestItem({
    ...aRequest({ id: newRequestId() }),
    executionAttempt: 1,
    sweepAt: due ? past : new Date(NOW.getTime() + 86_400_000).toISOString(),
  });

export const measureSweepCost = async (
  settledSizes: readonly number[] = [1_000, 100_000],
  unsettled = 50,
): Promise<SweepCostRow[]> => {
  const table = await startDynaliteTable('sweep-bench');
  const meter = meterDynamoDb();
  const write = async (items: Record<string, unknown>[]) => {
    for (let i = 0; i < items.length; i += 25) {
      await table.documents.send(
        new BatchWriteCommand({
          RequestItems: {
            [table.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
          },
        }),
      );
    }
  };
  try {
    // Half of the unsettled requests are due now, half tomorrow.
    await write(Array.from({ length: unsettled }, (_, i) => unsettledItem(i % 2 === 0)));
    const store = new DynamoSweepStore(table.documents, table.tableName);
    const rows: SweepCostRow[] = [];
    let settled = 0;
    for (const size of settledSizes) {
      while (settled < size) {
        const batch = Math.min(2_500, size - settled);
        await write(Array.from({ length: batch }, settledItem));
        settled += batch;
      }
      meter.reset();
      const startedAt = performance.now();
      const due = await store.dueForSweep(NOW, { limit: 500 });
      const ms = performance.now() - startedAt;
      const calls = meter.calls();
      rows.push({
        settled,
        unsettled,
        looked: due.length,
        queries: calls.filter((call) => call.operation === 'Query').length,
        readUnits: calls.reduce((sum, call) => sum + call.tableUnits, 0),
        ms,
      });
    }
    return rows;
  } finally {
    meter.stop();
    await table.stop();
  }
};

export const sweepCostSection = (rows: readonly SweepCostRow[]): string =>
  [
    'Sweep read cost per pass (sparse index of unsettled requests; settled ones are not in it)',
    '  settled requests   unsettled   looked at   queries   read units   ms',
    ...rows.map(
      (row) =>
        `  ${String(row.settled).padStart(16)}   ${String(row.unsettled).padStart(9)}   ${String(row.looked).padStart(9)}   ${String(row.queries).padStart(7)}   ${row.readUnits.toFixed(1).padStart(10)}   ${row.ms.toFixed(0).padStart(4)}`,
    ),
  ].join('\n');

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(sweepCostSection(await measureSweepCost()));
}
