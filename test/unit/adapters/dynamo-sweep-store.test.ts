import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoRequestStore } from '../../../functions/adapters/dynamo-request-store.ts';
import { DynamoSweepStore } from '../../../functions/adapters/dynamo-sweep-store.ts';
import { newRequestId } from '../../../functions/shared/crypto.ts';
import { type DynaliteTable, startDynaliteTable } from '../../support/dynalite-table.ts';
import { aRequest } from '../../support/in-memory-stores.ts';

/** The sparse sweep index on dynalite: who is in it, when, and who leaves it. */
let table: DynaliteTable;
let requests: DynamoRequestStore;
let sweep: DynamoSweepStore;

beforeAll(async () => {
  table = await startDynaliteTable('sweep-index');
  requests = new DynamoRequestStore(table.documents, table.tableName);
  sweep = new DynamoSweepStore(table.documents, table.tableName);
});

afterAll(async () => {
  await table?.stop();
});

const NOW = new Date('2026-12-01T10:00:00.000Z');
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000).toISOString();

const unsettled = async (sweepAt: string) => {
  const request = aRequest({ id: newRequestId(), executionAttempt: 1, sweepAt });
  await requests.insert(request);
  return request;
};

const dueIds = async (now: Date, everything = false) =>
  (await sweep.dueForSweep(now, { limit: 1_000, everything })).map((candidate) => candidate.id);

describe('the sweep index', () => {
  it('holds a new request, which the sweep sees once its sweepAt has come', async () => {
    const request = await unsettled(minutes(2));
    expect(await dueIds(NOW)).not.toContain(request.id);
    expect(await dueIds(new Date(minutes(2)))).toContain(request.id);
    expect(await dueIds(NOW, true)).toContain(request.id);
    const [candidate] = (await sweep.dueForSweep(new Date(minutes(2)), { limit: 1_000 })).filter(
      (c) => c.id === request.id,
    );
    expect(candidate).toMatchObject({
      status: 'PENDING_ACTIVATION',
      executionAttempt: 1,
      sweepRepairs: 0,
    });
  });

  it('keeps a closed request until its outcome is marked, then never has it again', async () => {
    const request = await unsettled(minutes(60));
    await requests.close(request.id, 'CANCELLED', { at: NOW });
    // A close brings its look near (SweepDelay.AFTER_CLOSE_SECONDS).
    expect(await dueIds(new Date(minutes(1)))).toContain(request.id);

    expect(await requests.markNotified(request.id, 'CANCELLED')).toBe(true);
    expect(await dueIds(new Date(minutes(600)), true)).not.toContain(request.id);
    // A sweep that read it just before does not put it back.
    await sweep.rescheduleSweep(request.id, minutes(5), true);
    expect(await dueIds(new Date(minutes(600)), true)).not.toContain(request.id);
    expect((await requests.get(request.id))?.sweepAt).toBeUndefined();
  });

  it('moves to the next attempt only from the one the sweep saw', async () => {
    const request = await unsettled(minutes(1));
    expect(await sweep.beginAttempt(request.id, 2)).toBe(true);
    expect(await sweep.beginAttempt(request.id, 2)).toBe(false);
    expect((await requests.get(request.id))?.executionAttempt).toBe(2);
  });

  it('counts repairs and moves the next look', async () => {
    const request = await unsettled(minutes(1));
    await sweep.rescheduleSweep(request.id, minutes(30), true);
    await sweep.rescheduleSweep(request.id, minutes(45), false);
    expect(await requests.get(request.id)).toMatchObject({ sweepAt: minutes(45), sweepRepairs: 1 });
    expect(await dueIds(new Date(minutes(40)))).not.toContain(request.id);
  });

  it('leaves settled requests out of the index altogether', async () => {
    const settled = aRequest({ id: newRequestId(), status: 'ACTIVE', notifiedStatus: 'ACTIVE' });
    await requests.insert(settled);
    expect(await dueIds(new Date(minutes(10_000)), true)).not.toContain(settled.id);
  });
});

describe('the activation e-mail record', () => {
  it('keeps the time of the first activation e-mail', async () => {
    const request = await unsettled(minutes(1));
    await requests.markActivationSent(request.id, NOW);
    await requests.markActivationSent(request.id, new Date(minutes(5)));
    expect((await requests.get(request.id))?.activationSentAt).toBe(NOW.toISOString());
  });
});

describe('settled requests waiting for their retention to end (the local stack)', () => {
  const retained = async (retainUntil: string) => {
    const request = await unsettled(minutes(-5));
    await requests.close(request.id, 'EXPIRED', { at: NOW });
    await requests.markNotified(request.id, 'EXPIRED', { retainUntil, bySweep: true });
    return request;
  };

  it('come to the sweep only once their date has come, also in the pass over everything', async () => {
    const later = await retained(minutes(60));
    const due = await retained(minutes(1));

    expect(await dueIds(NOW, true)).not.toContain(later.id);
    expect(await dueIds(NOW, true)).not.toContain(due.id);
    expect(await dueIds(new Date(minutes(2)))).toContain(due.id);
    expect(await dueIds(new Date(minutes(2)))).not.toContain(later.id);
  });

  it('never crowd an unsettled request out of a pass, however many there are', async () => {
    for (let i = 0; i < 30; i++) await retained(minutes(-1));
    const pending = await unsettled(minutes(-1));

    const first = await sweep.dueForSweep(NOW, { limit: 10, everything: true });

    expect(first.map((candidate) => candidate.id)).toContain(pending.id);
  });
});
