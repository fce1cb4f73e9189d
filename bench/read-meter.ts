/**
 * Read units of one DynamoDB client's reads: a middleware on that client only (not the
 * process-wide one of bench/dynamo-meter.ts) that asks for ReturnConsumedCapacity: 'TOTAL' on
 * every Query and BatchGetItem and records what the table reports. dynalite computes it by
 * DynamoDB's rules (node_modules/dynalite/db/index.js): a Query is the summed size of the items
 * it evaluated (before any FilterExpression, as projected into the index), rounded up to 4 KB
 * per call; a BatchGetItem is each item rounded up to 4 KB; eventually consistent reads cost
 * half. A reply without ConsumedCapacity fails the call: no read is silently counted as free.
 */

/** One read as the meter saw it. */
export interface MeteredRead {
  readonly operation: 'Query' | 'BatchGetItem';
  readonly readUnits: number;
  /** Items the read evaluated: a Query's ScannedCount, a BatchGetItem's keys asked for. */
  readonly evaluated: number;
  /** Items it returned (after a Query's FilterExpression). */
  readonly returned: number;
}

/** lib-dynamodb and client command names → the wire operation this meter reads. */
const OPERATIONS: Record<string, MeteredRead['operation']> = {
  QueryCommand: 'Query',
  BatchGetCommand: 'BatchGetItem',
  BatchGetItemCommand: 'BatchGetItem',
};

export type Consumed =
  | { readonly CapacityUnits?: number }
  | readonly { readonly CapacityUnits?: number }[];

/** A Query answers one ConsumedCapacity, a BatchGetItem one per table. */
export const unitsOf = (consumed: Consumed | undefined): number | undefined => {
  if (consumed === undefined) return undefined;
  const parts = Array.isArray(consumed) ? consumed : [consumed as { CapacityUnits?: number }];
  if (parts.length === 0 || parts.some((part) => typeof part.CapacityUnits !== 'number')) {
    return undefined;
  }
  return parts.reduce((sum, part) => sum + (part.CapacityUnits as number), 0);
};

const keysAskedFor = (input: Record<string, unknown>): number =>
  Object.values((input.RequestItems ?? {}) as Record<string, { Keys?: unknown[] }>).reduce(
    (sum, table) => sum + (table.Keys?.length ?? 0),
    0,
  );

const returnedBy = (output: Record<string, unknown>): number => {
  if (typeof output.Count === 'number') return output.Count;
  return Object.values((output.Responses ?? {}) as Record<string, unknown[]>).reduce(
    (sum, items) => sum + items.length,
    0,
  );
};

type Next = (args: {
  input: Record<string, unknown>;
}) => Promise<{ output: Record<string, unknown> }>;

/** The middleware itself: records each metered read into `record`. */
export const readMeterMiddleware =
  (record: (read: MeteredRead) => void) =>
  (next: Next, context: { commandName?: string }) =>
  async (args: { input: Record<string, unknown> }) => {
    const operation = OPERATIONS[context.commandName ?? ''];
    if (!operation) return next(args);
    const result = await next({
      ...args,
      input: { ...args.input, ReturnConsumedCapacity: 'TOTAL' },
    });
    const readUnits = unitsOf(result.output.ConsumedCapacity as Consumed | undefined);
    if (readUnits === undefined) {
      throw new Error(`${operation} answered no ConsumedCapacity: its read units are unknown`);
    }
    record({
      operation,
      readUnits,
      evaluated:
        operation === 'Query'
          ? ((result.output.ScannedCount as number | undefined) ?? 0)
          : keysAskedFor(args.input),
      returned: returnedBy(result.output),
    });
    return result;
  };

interface MiddlewareStack {
  add(middleware: unknown, options: Record<string, unknown>): void;
}

export interface ReadMeter {
  reads(): MeteredRead[];
  reset(): void;
}

/** Meters the reads of `client` (a DynamoDBClient, or the document client built on it). */
export const meterReads = (client: { middlewareStack: MiddlewareStack }): ReadMeter => {
  let reads: MeteredRead[] = [];
  client.middlewareStack.add(
    readMeterMiddleware((read) => reads.push(read)),
    { step: 'initialize', priority: 'low', name: 'benchReadMeter' },
  );
  return {
    reads: () => [...reads],
    reset: () => {
      reads = [];
    },
  };
};

/** What a list page (or several) cost. */
export interface ReadTotals {
  readonly calls: number;
  readonly queries: number;
  readonly batchGets: number;
  readonly readUnits: number;
  /** Of `readUnits`: the Queries' and the BatchGetItems' share. */
  readonly queryUnits: number;
  readonly batchGetUnits: number;
  /** Items the reads evaluated (index entries and items by key). */
  readonly evaluated: number;
}

export const readTotals = (reads: readonly MeteredRead[]): ReadTotals => {
  const of = (operation: MeteredRead['operation']) =>
    reads.filter((read) => read.operation === operation);
  const unitsIn = (some: readonly MeteredRead[]) =>
    some.reduce((sum, read) => sum + read.readUnits, 0);
  return {
    calls: reads.length,
    queries: of('Query').length,
    batchGets: of('BatchGetItem').length,
    readUnits: unitsIn(reads),
    queryUnits: unitsIn(of('Query')),
    batchGetUnits: unitsIn(of('BatchGetItem')),
    evaluated: reads.reduce((sum, read) => sum + read.evaluated, 0),
  };
};
