import { describe, expect, it } from 'vitest';
import {
  type MeteredRead,
  readMeterMiddleware,
  readTotals,
  unitsOf,
} from '../../../bench/read-meter.ts';

const run = async (commandName: string, input: Record<string, unknown>, output: unknown) => {
  const reads: MeteredRead[] = [];
  const sent: Record<string, unknown>[] = [];
  const handler = readMeterMiddleware((read) => reads.push(read))(
    async (args) => {
      sent.push(args.input);
      return { output: output as Record<string, unknown> };
    },
    { commandName },
  );
  await handler({ input });
  return { reads, sent };
};

describe('the read meter', () => {
  it('asks a Query for its consumed capacity and records its units, evaluated and returned items', async () => {
    const { reads, sent } = await run(
      'QueryCommand',
      { TableName: 't', IndexName: 'GSI1' },
      { Count: 2, ScannedCount: 100, ConsumedCapacity: { TableName: 't', CapacityUnits: 16.5 } },
    );
    expect(sent[0]).toMatchObject({ ReturnConsumedCapacity: 'TOTAL', IndexName: 'GSI1' });
    expect(reads).toEqual([{ operation: 'Query', readUnits: 16.5, evaluated: 100, returned: 2 }]);
  });

  it('sums a BatchGetItem over its tables and counts the keys it asked for', async () => {
    const { reads } = await run(
      'BatchGetCommand',
      { RequestItems: { t: { Keys: [{ PK: 'a' }, { PK: 'b' }, { PK: 'c' }] } } },
      {
        Responses: { t: [{}, {}] },
        ConsumedCapacity: [{ TableName: 't', CapacityUnits: 1 }],
      },
    );
    expect(reads).toEqual([{ operation: 'BatchGetItem', readUnits: 1, evaluated: 3, returned: 2 }]);
  });

  it('fails a read whose reply has no consumed capacity instead of counting it free', async () => {
    await expect(run('QueryCommand', {}, { Count: 0, ScannedCount: 0 })).rejects.toThrow(
      'Query answered no ConsumedCapacity',
    );
  });

  it('leaves other commands alone', async () => {
    const { reads, sent } = await run('PutCommand', { Item: {} }, {});
    expect(reads).toEqual([]);
    expect(sent[0]).not.toHaveProperty('ReturnConsumedCapacity');
  });
});

describe('unitsOf', () => {
  it('reads one object or sums an array, and knows nothing of a missing figure', () => {
    expect(unitsOf({ CapacityUnits: 0.5 })).toBe(0.5);
    expect(unitsOf([{ CapacityUnits: 1 }, { CapacityUnits: 2.5 }])).toBe(3.5);
    expect(unitsOf(undefined)).toBeUndefined();
    expect(unitsOf([])).toBeUndefined();
    expect(unitsOf([{ CapacityUnits: 1 }, {}])).toBeUndefined();
  });
});

describe('readTotals', () => {
  it('counts the calls by operation and sums their units and evaluated items', () => {
    expect(
      readTotals([
        { operation: 'Query', readUnits: 0.5, evaluated: 26, returned: 26 },
        { operation: 'BatchGetItem', readUnits: 13, evaluated: 26, returned: 26 },
      ]),
    ).toEqual({
      calls: 2,
      queries: 1,
      batchGets: 1,
      readUnits: 13.5,
      queryUnits: 0.5,
      batchGetUnits: 13,
      evaluated: 52,
    });
  });
});
