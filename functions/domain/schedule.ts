import { NotFound } from '../shared/errors.ts';
import { RequestStatus } from '../shared/status.ts';

/**
 * The table holds the schedule; the execution is only its alarm clock. Each time it wakes it
 * reads the request and asks this what is due now and when to wake next. Nothing here is
 * remembered by the execution, so an extension written to the table moves the expiry without
 * a signal, and a new execution for an old request carries on exactly where the table says.
 */
export const WakeAction = {
  /** Pending and nothing due: wait on a fresh task token until `waitSeconds` have passed. */
  WAIT: 'WAIT',
  /** `expiresAt` has passed: try the conditional write to EXPIRED. */
  EXPIRE: 'EXPIRE',
  /** The request is closed already (a decision or cancel won): send that outcome's e-mails. */
  SETTLE: 'SETTLE',
  /**
   * `nextReminderAt` has passed: remind the customer. Wake does it itself and then plans again,
   * so the execution never routes on it (a reminder costs Wake, Due and the next wait).
   */
  REMIND: 'REMIND',
} as const;
export type WakeAction = (typeof WakeAction)[keyof typeof WakeAction];

export interface WakePlan {
  readonly action: WakeAction;
  /** Seconds until the next planned wake; at least 1 (TimeoutSeconds must be positive). */
  readonly waitSeconds: number;
  /** The planned wake time, ISO, for the sweep to tell a sleeping execution from a dead one. */
  readonly wakeAt: string | null;
}

/** What the schedule needs of a request. */
export interface Scheduled {
  readonly status: RequestStatus;
  readonly expiresAt: string;
  readonly nextReminderAt?: string | null;
}

export const planWake = (request: Scheduled, now: Date): WakePlan => {
  if (request.status !== RequestStatus.PENDING_ACTIVATION) {
    return { action: WakeAction.SETTLE, waitSeconds: 1, wakeAt: null };
  }
  const expiry = Date.parse(request.expiresAt);
  if (expiry <= now.getTime()) return { action: WakeAction.EXPIRE, waitSeconds: 1, wakeAt: null };
  const reminder = request.nextReminderAt ? Date.parse(request.nextReminderAt) : undefined;
  if (reminder !== undefined && reminder <= now.getTime()) {
    return { action: WakeAction.REMIND, waitSeconds: 1, wakeAt: null };
  }
  // The next thing due: a reminder before the expiry, else the expiry.
  const remainingMs = Math.min(reminder ?? expiry, expiry) - now.getTime();
  // Rounded up: waking a fraction early would find nothing due and wait one more second.
  const waitSeconds = Math.max(1, Math.ceil(remainingMs / 1000));
  return {
    action: WakeAction.WAIT,
    waitSeconds,
    wakeAt: new Date(now.getTime() + waitSeconds * 1000).toISOString(),
  };
};

/**
 * The workflow's Wake step: what the table says is due for this request now. A due reminder is
 * sent here, then the request is read and planned again (the reminder moved `nextReminderAt`);
 * the answer is never REMIND. Three rounds at most: a reminder's plan only moves forward, so a
 * fourth would mean its write keeps failing, and the next wake tries again.
 */
export const wakeRequest = async <R extends Scheduled>(
  requests: { get(requestId: string): Promise<R | undefined> },
  remind: (request: R, now: Date) => Promise<void>,
  requestId: string,
  now: Date,
): Promise<WakePlan> => {
  for (let round = 0; round < 3; round++) {
    const request = await requests.get(requestId);
    if (!request) throw new NotFound(`Request ${requestId} does not exist`);
    const plan = planWake(request, now);
    if (plan.action !== WakeAction.REMIND) return plan;
    await remind(request, now);
  }
  return {
    action: WakeAction.WAIT,
    waitSeconds: RETRY_REMINDER_SECONDS,
    wakeAt: new Date(now.getTime() + RETRY_REMINDER_SECONDS * 1000).toISOString(),
  };
};

/** How soon a wake whose reminder could not be planned forward tries again. */
const RETRY_REMINDER_SECONDS = 60;
