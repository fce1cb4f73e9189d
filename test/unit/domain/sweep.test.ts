import { describe, expect, it } from 'vitest';
import {
  planRepair,
  type SweepCandidate,
  type SweepExecutions,
  Sweeper,
  type SweepStore,
} from '../../../functions/domain/sweep.ts';
import { RequestStatus } from '../../../functions/shared/status.ts';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const TIMING = { periodSeconds: 300, graceSeconds: 900 };

const candidate = (overrides: Partial<SweepCandidate> = {}): SweepCandidate => ({
  id: 'sar_1',
  status: RequestStatus.PENDING_ACTIVATION,
  executionAttempt: 1,
  sweepRepairs: 0,
  ...overrides,
});

describe('what the sweep does with an unsettled request', () => {
  it('leaves a sleeping pending request alone until its planned wake is overdue', () => {
    const plan = planRepair(candidate({ wakeAt: '2027-01-01T00:00:00.000Z' }), true, NOW, TIMING);
    expect(plan).toEqual({
      resignal: false,
      restart: false,
      nextSweepAt: '2027-01-01T00:15:00.000Z',
    });
  });

  it('starts a new execution for a pending request whose execution is gone', () => {
    const plan = planRepair(candidate(), false, NOW, TIMING);
    expect(plan.restart).toBe(true);
    expect(plan.resignal).toBe(false);
  });

  it('signals again when a decision is stored but its execution still waits', () => {
    const decided = candidate({ status: RequestStatus.ACTIVE, taskToken: 'token' });
    expect(planRepair(decided, true, NOW, TIMING)).toMatchObject({
      resignal: true,
      restart: false,
    });
  });

  it('starts a new execution to settle a closed request whose execution is gone', () => {
    const cancelled = candidate({ status: RequestStatus.CANCELLED, taskToken: 'token' });
    expect(planRepair(cancelled, false, NOW, TIMING)).toMatchObject({
      resignal: false,
      restart: true,
    });
  });

  it('does nothing to a request that is settled already', () => {
    const settled = candidate({
      status: RequestStatus.EXPIRED,
      notifiedStatus: RequestStatus.EXPIRED,
    });
    expect(planRepair(settled, false, NOW, TIMING)).toMatchObject({
      resignal: false,
      restart: false,
    });
  });
});

class FakeSweepStore implements SweepStore {
  readonly rescheduled: Array<{ id: string; at: string; repaired: boolean }> = [];
  constructor(
    readonly requests: Map<string, SweepCandidate>,
    private readonly due: (now: Date, request: SweepCandidate) => boolean = () => true,
  ) {}
  async dueForSweep(now: Date, options: { limit: number; everything?: boolean }) {
    return [...this.requests.values()]
      .filter((r) => options.everything || this.due(now, r))
      .slice(0, options.limit);
  }
  async beginAttempt(id: string, attempt: number) {
    const request = this.requests.get(id);
    if (!request || request.executionAttempt !== attempt - 1) return false;
    this.requests.set(id, { ...request, executionAttempt: attempt });
    return true;
  }
  async rescheduleSweep(id: string, at: string, repaired: boolean) {
    this.rescheduled.push({ id, at, repaired });
  }
}

class FakeExecutions implements SweepExecutions {
  readonly started: string[] = [];
  readonly signalled: string[] = [];
  constructor(private readonly running: Set<string>) {}
  async isRunning(id: string, attempt: number) {
    return this.running.has(`${id}#${attempt}`);
  }
  async start(id: string, attempt: number) {
    this.started.push(`${id}#${attempt}`);
    this.running.add(`${id}#${attempt}`);
  }
  async endWait(request: SweepCandidate) {
    this.signalled.push(request.id);
    return true;
  }
}

describe('a sweep pass', () => {
  it('restarts gone executions with the next attempt and re-signals stored decisions', async () => {
    const requests = new Map<string, SweepCandidate>([
      ['gone', candidate({ id: 'gone' })],
      ['waiting', candidate({ id: 'waiting', wakeAt: '2027-01-01T00:00:00.000Z' })],
      ['decided', candidate({ id: 'decided', status: RequestStatus.ACTIVE, taskToken: 't' })],
    ]);
    const executions = new FakeExecutions(new Set(['waiting#1', 'decided#1']));
    const store = new FakeSweepStore(requests);
    const report = await new Sweeper(store, executions, TIMING).run(NOW);

    expect(report).toEqual({ looked: 3, resignalled: 1, restarted: 1, forgotten: 0, repeated: [] });
    expect(executions.started).toEqual(['gone#2']);
    expect(executions.signalled).toEqual(['decided']);
    expect(requests.get('gone')?.executionAttempt).toBe(2);
    expect(store.rescheduled.find((r) => r.id === 'waiting')).toMatchObject({ repaired: false });
    expect(store.rescheduled.find((r) => r.id === 'gone')).toMatchObject({ repaired: true });
  });

  it('starts one execution when two passes find the same execution gone', async () => {
    const requests = new Map([['gone', candidate({ id: 'gone' })]]);
    const executions = new FakeExecutions(new Set());
    const store = new FakeSweepStore(requests);
    const sweeper = new Sweeper(store, executions, TIMING);
    await Promise.all([sweeper.run(NOW), sweeper.run(NOW)]);
    expect(executions.started).toEqual(['gone#2']);
  });

  it('reports a request it has to repair a second time', async () => {
    const requests = new Map([['again', candidate({ id: 'again', sweepRepairs: 1 })]]);
    const report = await new Sweeper(
      new FakeSweepStore(requests),
      new FakeExecutions(new Set()),
      TIMING,
    ).run(NOW);
    expect(report.repeated).toEqual(['again']);
  });

  it('looks only at requests whose time has come, unless asked for everything', async () => {
    const requests = new Map([['later', candidate({ id: 'later' })]]);
    const store = new FakeSweepStore(requests, () => false);
    const sweeper = new Sweeper(store, new FakeExecutions(new Set()), TIMING);
    expect((await sweeper.run(NOW)).looked).toBe(0);
    expect((await sweeper.run(NOW, { everything: true })).looked).toBe(1);
  });

  it('deletes a settled request whose retention ended, and leaves one whose date is still to come', async () => {
    const settled = (id: string, sweepAt: string) =>
      candidate({
        id,
        status: RequestStatus.EXPIRED,
        notifiedStatus: RequestStatus.EXPIRED,
        sweepAt,
      });
    const requests = new Map([
      ['due', settled('due', '2026-11-01T00:00:00.000Z')],
      ['later', settled('later', '2099-01-01T00:00:00.000Z')],
    ]);
    const forgotten: string[] = [];
    const executions = new FakeExecutions(new Set());
    const store = new FakeSweepStore(requests);
    const sweeper = new Sweeper(store, executions, TIMING, {
      forget: async (id) => {
        forgotten.push(id);
        return 'forgotten';
      },
    });

    // The start's pass over everything meets both.
    const report = await sweeper.run(NOW, { everything: true });

    expect(forgotten).toEqual(['due']);
    expect(report).toMatchObject({ forgotten: 1, restarted: 0, resignalled: 0 });
    expect(executions.started).toEqual([]);
    expect(store.rescheduled).toEqual([]);
  });
});
