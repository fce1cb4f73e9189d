import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Consumed, unitsOf } from './read-meter.ts';

/** One DynamoDB request as the meter saw it. */
export interface MeteredCall {
  /** Wire operation, e.g. `PutItem`. */
  readonly operation: string;
  /** Kind of item (its key prefix: `REQUEST`, `DOMAIN`, `CODE`, …) or the index queried. */
  readonly item: string;
  readonly kind: 'read' | 'write';
  /** Capacity units for the table, as dynalite computes them (DynamoDB's item-size rules). */
  readonly tableUnits: number;
  /** Write units GSI1 adds: request items carry GSI1 keys and GSI1 projects ALL attributes. */
  readonly indexUnits: number;
  readonly failed: boolean;
}

export interface DynamoMeter {
  calls(): MeteredCall[];
  reset(): void;
  /** Puts the SDK's `send` back; clients metered so far stay metered. */
  stop(): void;
}

const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
const WRITES = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);
/** Items whose writes also write GSI1 (infra/table-schema.ts; keys in table-keys.ts). */
const INDEXED_ITEMS = new Set(['REQUEST']);
/** lib-dynamodb command names → the wire operation they send. */
const DOCUMENT_COMMANDS: Record<string, string> = {
  Put: 'PutItem',
  Get: 'GetItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  TransactGet: 'TransactGetItems',
  TransactWrite: 'TransactWriteItems',
};

const operationOf = (commandName: string): string => {
  const name = commandName.replace(/Command$/, '');
  return DOCUMENT_COMMANDS[name] ?? name;
};

const itemOf = (input: Record<string, unknown>): string => {
  if (typeof input.IndexName === 'string') return input.IndexName;
  const key = (input.Key ?? input.Item) as Record<string, unknown> | undefined;
  const pk = key?.PK as string | { S?: string } | undefined;
  const value = typeof pk === 'string' ? pk : pk?.S;
  return value ? (value.split('#')[0] ?? value) : 'other';
};

interface Stack {
  add(middleware: unknown, options: Record<string, unknown>): void;
}
interface Sendable {
  middlewareStack: Stack;
  send(...args: unknown[]): Promise<unknown>;
}

/**
 * Meters every DynamoDB call made in this process by any DynamoDBClient or
 * DynamoDBDocumentClient, including clients the handlers already built: an SDK middleware,
 * added to a client's stack on its first `send`, asks for ReturnConsumedCapacity and records
 * what dynalite reports. A failed conditional write is billed 1 write unit (items here are
 * under 1 KB), as DynamoDB bills a write whose condition fails.
 */
export const meterDynamoDb = (): DynamoMeter => {
  let calls: MeteredCall[] = [];
  const metered = new WeakSet<Stack>();

  const middleware =
    (
      next: (args: {
        input: Record<string, unknown>;
      }) => Promise<{ output: Record<string, unknown> }>,
      context: { commandName?: string },
    ) =>
    async (args: { input: Record<string, unknown> }) => {
      const operation = operationOf(context.commandName ?? '');
      const kind = READS.has(operation) ? 'read' : WRITES.has(operation) ? 'write' : undefined;
      if (!kind) return next(args);
      const item = itemOf(args.input);
      try {
        const result = await next({
          ...args,
          input: { ...args.input, ReturnConsumedCapacity: 'TOTAL' },
        });
        // A batch answers one ConsumedCapacity per table (an array), the others one object.
        const units = unitsOf(result.output.ConsumedCapacity as Consumed | undefined) ?? 0;
        calls.push({
          operation,
          item,
          kind,
          tableUnits: units,
          indexUnits: kind === 'write' && INDEXED_ITEMS.has(item) ? units : 0,
          failed: false,
        });
        return result;
      } catch (error) {
        calls.push({
          operation,
          item,
          kind,
          tableUnits: kind === 'write' ? 1 : 0,
          indexUnits: 0,
          failed: true,
        });
        throw error;
      }
    };

  const classes = [DynamoDBClient, DynamoDBDocumentClient] as unknown as {
    prototype: Sendable;
  }[];
  const originals = classes.map((type) => {
    const original = Object.getOwnPropertyDescriptor(type.prototype, 'send');
    const inherited = type.prototype.send;
    type.prototype.send = function (this: Sendable, ...args: unknown[]) {
      if (!metered.has(this.middlewareStack)) {
        metered.add(this.middlewareStack);
        this.middlewareStack.add(middleware, {
          step: 'initialize',
          priority: 'low',
          name: 'benchDynamoMeter',
        });
      }
      return inherited.apply(this, args);
    };
    return { type, original };
  });

  return {
    calls: () => [...calls],
    reset: () => {
      calls = [];
    },
    stop: () => {
      for (const { type, original } of originals) {
        if (original) Object.defineProperty(type.prototype, 'send', original);
        else delete (type.prototype as Partial<Sendable>).send;
      }
    },
  };
};
