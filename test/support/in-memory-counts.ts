import {
  type CountChange,
  changeOfMark,
  countsFrom,
  FORGOTTEN,
  markOf,
  remainderAfter,
  type StatusCounter,
  type StatusCounts,
} from '../../functions/domain/status-counts.ts';
import type { InMemoryRequestStore } from './in-memory-stores.ts';

/**
 * The StatusCounter contract in memory: the same three steps as the DynamoDB adapter, each with
 * its condition (test/unit/adapters/status-counts-contract.test.ts runs both).
 */
export class InMemoryStatusCounts implements StatusCounter {
  readonly counters = new Map<string, Record<string, number | string>>();

  constructor(private readonly requests?: InMemoryRequestStore) {}

  async apply(
    partnerId: string,
    requestId: string,
    change: CountChange,
    confirm?: () => Promise<void>,
  ): Promise<void> {
    const counter = this.counters.get(partnerId) ?? {};
    this.counters.set(partnerId, counter);
    const marker = `counting#${requestId}`;
    const mark = markOf(change);
    const found = counter[marker];
    if (found === undefined) {
      if (change.to !== FORGOTTEN) counter[change.to] = Number(counter[change.to] ?? 0) + 1;
      if (change.from) counter[change.from] = Number(counter[change.from] ?? 0) - 1;
      counter[marker] = mark;
    } else if (found !== mark) {
      const earlier = changeOfMark(String(found));
      this.confirm(requestId, earlier);
      delete counter[marker];
      const rest = remainderAfter(earlier, change);
      if (rest) await this.apply(partnerId, requestId, rest, confirm);
      else await (confirm ?? (async () => this.confirm(requestId, change)))();
      return;
    }
    await (confirm ?? (async () => this.confirm(requestId, change)))();
    if (counter[marker] === mark) delete counter[marker];
  }

  async read(partnerId: string): Promise<StatusCounts> {
    return countsFrom(this.counters.get(partnerId));
  }

  private confirm(requestId: string, change: CountChange): void {
    const request = this.requests?.requests.get(requestId);
    if (!request || request.countedStatus !== change.from || change.to === FORGOTTEN) return;
    this.requests?.requests.set(requestId, { ...request, countedStatus: change.to });
  }
}
