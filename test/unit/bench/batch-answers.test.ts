import { describe, expect, it } from 'vitest';
import {
  addressesReached,
  checkReviewed,
  createdIds,
  itemsPerSecond,
  listAndCountsProblems,
  measuredRounds,
  RoundKind,
  spreadOf,
} from '../../../bench/batch-answers.ts';

const sent = [{ accountDomain: 'a.bench.example' }, { accountDomain: 'b.bench.example' }];

const created = (overrides: Record<string, unknown>[] = []) => ({
  items: sent.map((item, index) => ({
    index,
    status: 202,
    request: {
      id: `sar_${index}`,
      accountDomain: item.accountDomain,
      status: 'PENDING_ACTIVATION',
    },
    ...overrides[index],
  })),
});

describe('createdIds', () => {
  it('returns the ids of a batch whose every item was created for the domain sent there', () => {
    expect(createdIds('batch 1', 200, created(), sent)).toEqual(['sar_0', 'sar_1']);
  });

  it('refuses an answer that is not a 200 with one entry per item sent', () => {
    expect(() => createdIds('batch 1', 503, created(), sent)).toThrow('batch 1: answered 503');
    expect(() => createdIds('batch 1', 200, { problem: {} }, sent)).toThrow('no items');
    expect(() => createdIds('batch 1', 200, { items: created().items.slice(1) }, sent)).toThrow(
      '1 items for 2 sent',
    );
  });

  it('refuses a refused item, items out of order, another domain, and an id twice', () => {
    expect(() => createdIds('b', 200, created([{}, { status: 409 }]), sent)).toThrow(
      'b: item 1: status 409',
    );
    expect(() => createdIds('b', 200, created([{ index: 1 }]), sent)).toThrow('item 0 has index 1');
    const swapped = created();
    swapped.items.reverse();
    expect(() => createdIds('b', 200, swapped, sent)).toThrow('item 0 has index 1');
    expect(() =>
      createdIds(
        'b',
        200,
        created([
          {},
          {
            request: {
              id: 'sar_1',
              accountDomain: 'a.bench.example',
              status: 'PENDING_ACTIVATION',
            },
          },
        ]),
        sent,
      ),
    ).toThrow('item 1: domain a.bench.example, b.bench.example sent');
    expect(() =>
      createdIds(
        'b',
        200,
        created([
          {},
          {
            request: {
              id: 'sar_0',
              accountDomain: 'b.bench.example',
              status: 'PENDING_ACTIVATION',
            },
          },
        ]),
        sent,
      ),
    ).toThrow('an id answered twice');
    expect(() =>
      createdIds(
        'b',
        200,
        created([{ request: { id: 'sar_0', accountDomain: 'a.bench.example', status: 'FAILED' } }]),
        sent,
      ),
    ).toThrow('item 0: status FAILED');
  });
});

describe('checkReviewed', () => {
  const reviewed = (status = 200, id: unknown = null) => ({
    items: sent.map((item, index) => ({
      index,
      status,
      request: { id, accountDomain: item.accountDomain },
    })),
  });

  it('accepts a dry run whose every item is reviewed without an id', () => {
    expect(() => checkReviewed('dry run', 200, reviewed(), sent)).not.toThrow();
  });

  it('refuses a dry run that created, refused or answered for another domain', () => {
    expect(() => checkReviewed('dry run', 200, reviewed(202, 'sar_1'), sent)).toThrow(
      'item 0: status 202',
    );
    expect(() => checkReviewed('dry run', 200, reviewed(200, 'sar_1'), sent)).toThrow(
      'id sar_1 on a dry run',
    );
    expect(() => checkReviewed('dry run', 200, reviewed(400), sent)).toThrow('status 400');
    expect(() => checkReviewed('dry run', 200, reviewed(), [...sent].reverse())).toThrow(
      'item 0: domain a.bench.example, b.bench.example sent',
    );
  });
});

describe('addressesReached', () => {
  it('counts each awaited address once, whatever else was mailed', () => {
    const mails = [
      { destination: { to: ['it@a.example'] } },
      { destination: { to: ['it@a.example'] } },
      { destination: { to: ['partner@local.example', 'it@b.example'] } },
      { destination: { to: ['someone@else.example'] } },
    ];
    expect(addressesReached(mails, new Set(['it@a.example', 'it@b.example', 'it@c.example']))).toBe(
      2,
    );
    expect(addressesReached([], new Set(['it@a.example']))).toBe(0);
  });
});

describe('spreadOf and itemsPerSecond', () => {
  it('gives the median and the 10th and 90th percentiles of the batches', () => {
    expect(spreadOf([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110])).toEqual({
      p10: 20,
      median: 60,
      p90: 100,
    });
  });

  it('divides items by the seconds they took, and refuses a duration that is not one', () => {
    expect(itemsPerSecond(100, 4_000)).toBe(25);
    expect(() => itemsPerSecond(100, 0)).toThrow('Not a duration');
    expect(() => itemsPerSecond(100, Number.NaN)).toThrow('Not a duration');
  });
});

describe('listAndCountsProblems', () => {
  const counts = (pending: number, others: Record<string, number> = {}) => ({
    PENDING_ACTIVATION: pending,
    ACTIVE: 0,
    DECLINED: 0,
    CANCELLED: 0,
    EXPIRED: 0,
    FAILED: 0,
    ...others,
  });

  it('finds nothing when the list holds exactly what was created and the counts say so', () => {
    expect(listAndCountsProblems(['a', 'b'], ['b', 'a'], counts(2))).toEqual([]);
  });

  it('names what is missing, extra, doubled or miscounted', () => {
    expect(listAndCountsProblems(['a', 'b'], ['a', 'c', 'c'], counts(3, { FAILED: 1 }))).toEqual([
      'the list shows an id twice',
      '1 created requests not in the list',
      '2 listed requests not created',
      'counts say 3 PENDING_ACTIVATION, 2 expected',
      'counts say 1 FAILED, 0 expected',
    ]);
    expect(listAndCountsProblems(['a'], ['a'], {})).toEqual(['counts have no PENDING_ACTIVATION']);
  });
});

describe('measuredRounds', () => {
  it('keeps the rounds of one kind that are not warm-ups, in the order they ran', () => {
    const rounds = [
      { name: 'a', kind: RoundKind.BATCH, warmUp: true },
      { name: 'b', kind: RoundKind.SINGLES, warmUp: true },
      { name: 'c', kind: RoundKind.BATCH, warmUp: false },
      { name: 'd', kind: RoundKind.SINGLES, warmUp: false },
      { name: 'e', kind: RoundKind.BATCH, warmUp: false },
    ];
    expect(measuredRounds(rounds, RoundKind.BATCH).map((round) => round.name)).toEqual(['c', 'e']);
    expect(measuredRounds(rounds, RoundKind.SINGLES).map((round) => round.name)).toEqual(['d']);
  });
});
