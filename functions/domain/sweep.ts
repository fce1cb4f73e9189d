import { RequestStatus } from '../shared/status.ts';
import type { ForgetResult } from './retention.ts';

/**
 * The sweep completes what a failure left half-done. Every request that is not settled yet
 * (pending, or closed without its outcome e-mails) sits in a sparse index with a `sweepAt`
 * time; settled requests leave it, so a sweep's cost follows the unsettled requests only.
 * The sweep looks at those whose time has come and decides from the table and the execution's
 * state alone: nothing here trusts that an earlier step finished.
 */

/** What the sweep reads of a request (from the sparse index). */
export interface SweepCandidate {
  readonly id: string;
  readonly status: RequestStatus;
  readonly notifiedStatus?: RequestStatus;
  readonly taskToken?: string;
  /** 1 for the execution named after the request id, n for `<id>-<n>`. */
  readonly executionAttempt: number;
  /** When the current execution planned to wake, if it is waiting. */
  readonly wakeAt?: string | null;
  readonly sweepRepairs: number;
  /** Events in its outbox that no publisher got to (event-outbox.ts). */
  readonly pendingEvents?: number;
  /** When it is due: for a settled request still in the index, the end of its retention. */
  readonly sweepAt?: string;
}

/** Execution names stay unique per state machine: `<id>`, then `<id>-2`, `<id>-3`, ... */
export const executionNameOf = (requestId: string, attempt = 1): string =>
  attempt <= 1 ? requestId : `${requestId}-${attempt}`;

export interface SweepTiming {
  /** How often the sweep runs (AWS: every 5 minutes). */
  readonly periodSeconds: number;
  /**
   * How long past a planned step the execution may take before the sweep looks again: covers
   * the ASL's retries (SES throttling is ridden out for about half an hour).
   */
  readonly graceSeconds: number;
}

export interface RepairPlan {
  /** End the wait again: the decision or cancel is stored, its signal may have been lost. */
  readonly resignal: boolean;
  /** The execution is gone: start attempt `executionAttempt + 1`. */
  readonly restart: boolean;
  /** When to look at this request again (it stays in the index until Settle removes it). */
  readonly nextSweepAt: string;
}

const at = (now: Date, seconds: number): string =>
  new Date(now.getTime() + seconds * 1000).toISOString();

/**
 * When the sweep first looks at a request after each step that should move it on. Each is a
 * little past the time the step normally takes, so a healthy request is looked at rarely: a
 * look finds its execution running and only moves `sweepAt` on.
 */
export const SweepDelay = {
  /** The execution starts and stores its first wait within seconds of the create. */
  AFTER_CREATE_SECONDS: 30,
  /** A decision, cancel or expiry is settled within a second (longer only while SES throttles). */
  AFTER_CLOSE_SECONDS: 10,
  /** A waiting execution wakes at `wakeAt`; this covers the retries of its next steps. */
  AFTER_WAKE_SECONDS: 900,
  /**
   * A change's event is published right after its write; if the writer crashed first, the
   * sweep publishes it this soon.
   */
  AFTER_CHANGE_SECONDS: 60,
} as const;

export const sweepAfter = (from: Date | string, seconds: number): string =>
  at(typeof from === 'string' ? new Date(from) : from, seconds);

export const isSettled = (request: Pick<SweepCandidate, 'status' | 'notifiedStatus'>): boolean =>
  request.status !== RequestStatus.PENDING_ACTIVATION && request.notifiedStatus === request.status;

export const planRepair = (
  request: SweepCandidate,
  executionRunning: boolean,
  now: Date,
  timing: SweepTiming,
): RepairPlan => {
  const soon = at(now, Math.max(timing.periodSeconds, timing.graceSeconds));
  if (!executionRunning)
    return { resignal: false, restart: !isSettled(request), nextSweepAt: soon };
  if (request.status === RequestStatus.PENDING_ACTIVATION) {
    // Asleep until its planned wake: look again only once that wake is overdue.
    const wakeAt = request.wakeAt ? Date.parse(request.wakeAt) : Number.NaN;
    const overdue = Number.isNaN(wakeAt)
      ? soon
      : new Date(Math.max(Date.parse(soon), wakeAt + timing.graceSeconds * 1000)).toISOString();
    return { resignal: false, restart: false, nextSweepAt: overdue };
  }
  // Closed but not settled while its execution runs: the wait may never have heard of the
  // decision. A second signal is harmless (a stale token is refused), a lost one is not.
  return { resignal: request.taskToken !== undefined, restart: false, nextSweepAt: soon };
};

export interface SweepReport {
  readonly looked: number;
  readonly resignalled: number;
  readonly restarted: number;
  /** Settled requests whose retention ended, deleted (the local stack: retention.ts). */
  readonly forgotten: number;
  /** Requests the sweep repaired although it had repaired them before: something keeps failing. */
  readonly repeated: readonly string[];
}

export interface SweepStore {
  /** Unsettled requests whose `sweepAt` is at or before `now` (all of them with `everything`). */
  dueForSweep(
    now: Date,
    options: { limit: number; everything?: boolean },
  ): Promise<readonly SweepCandidate[]>;
  /**
   * Moves the request to execution attempt `attempt`, conditional on it being at `attempt - 1`:
   * of two sweeps that both found the execution gone, only one starts the next.
   */
  beginAttempt(requestId: string, attempt: number): Promise<boolean>;
  /** Sets the next look; `repaired` counts a repair (for the repeated-repair alarm). */
  rescheduleSweep(requestId: string, nextSweepAt: string, repaired: boolean): Promise<void>;
}

export interface SweepExecutions {
  isRunning(requestId: string, attempt: number): Promise<boolean>;
  start(requestId: string, attempt: number): Promise<void>;
  /** Ends the wait for a closed request; false when the token was stale. */
  endWait(request: SweepCandidate): Promise<boolean>;
}

export class Sweeper {
  constructor(
    private readonly store: SweepStore,
    private readonly executions: SweepExecutions,
    private readonly timing: SweepTiming,
    private readonly options: {
      batchSize?: number;
      concurrency?: number;
      /** Publishes what a crashed writer left in a request's outbox. */
      publish?: (requestId: string) => Promise<unknown>;
      /**
       * Deletes a settled request whose retention ended (retention.ts). Only where the sweep
       * is the one that deletes (the local stack); on AWS settled requests leave the index.
       */
      forget?: (requestId: string, now: Date) => Promise<ForgetResult>;
    } = {},
  ) {}

  /** One pass. `everything` (the local stack's start) looks at every unsettled request now. */
  async run(now: Date, options: { everything?: boolean } = {}): Promise<SweepReport> {
    const due = await this.store.dueForSweep(now, {
      limit: this.options.batchSize ?? 500,
      everything: options.everything,
    });
    const outcomes: Array<'resignalled' | 'restarted' | 'forgotten' | 'none'> = [];
    const repeated: string[] = [];
    const queue = [...due];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const outcome = await this.repair(next, now);
        outcomes.push(outcome);
        if ((outcome === 'resignalled' || outcome === 'restarted') && next.sweepRepairs >= 1) {
          repeated.push(next.id);
        }
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency ?? 8 }, worker));
    return {
      looked: due.length,
      resignalled: outcomes.filter((o) => o === 'resignalled').length,
      restarted: outcomes.filter((o) => o === 'restarted').length,
      forgotten: outcomes.filter((o) => o === 'forgotten').length,
      repeated,
    };
  }

  private async repair(
    request: SweepCandidate,
    now: Date,
  ): Promise<'resignalled' | 'restarted' | 'forgotten' | 'none'> {
    if (isSettled(request)) {
      // Settled and still here: it waits for its retention to end. The start's pass over
      // everything meets it early and leaves it; nothing else about it needs repair.
      const due = request.sweepAt !== undefined && request.sweepAt <= now.toISOString();
      if (!due || !this.options.forget) return 'none';
      return (await this.options.forget(request.id, now)) === 'forgotten' ? 'forgotten' : 'none';
    }
    if ((request.pendingEvents ?? 0) > 0) await this.options.publish?.(request.id);
    const running = await this.executions.isRunning(request.id, request.executionAttempt);
    const plan = planRepair(request, running, now, this.timing);
    let outcome: 'resignalled' | 'restarted' | 'none' = 'none';
    if (plan.resignal && (await this.executions.endWait(request))) outcome = 'resignalled';
    if (plan.restart) {
      const attempt = request.executionAttempt + 1;
      // The attempt is claimed before the start: a crash in between leaves attempt n without
      // an execution, which the next pass finds gone and replaces with n + 1.
      if (await this.store.beginAttempt(request.id, attempt)) {
        await this.executions.start(request.id, attempt);
        outcome = 'restarted';
      }
    }
    await this.store.rescheduleSweep(request.id, plan.nextSweepAt, outcome !== 'none');
    return outcome;
  }
}
