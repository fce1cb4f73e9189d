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
}

export const planWake = (request: Scheduled, now: Date): WakePlan => {
  if (request.status !== RequestStatus.PENDING_ACTIVATION) {
    return { action: WakeAction.SETTLE, waitSeconds: 1, wakeAt: null };
  }
  const dueAt = Date.parse(request.expiresAt);
  const remainingMs = dueAt - now.getTime();
  if (remainingMs <= 0) return { action: WakeAction.EXPIRE, waitSeconds: 1, wakeAt: null };
  // Rounded up: waking a fraction early would find nothing due and wait one more second.
  const waitSeconds = Math.max(1, Math.ceil(remainingMs / 1000));
  return {
    action: WakeAction.WAIT,
    waitSeconds,
    wakeAt: new Date(now.getTime() + waitSeconds * 1000).toISOString(),
  };
};

/** The workflow's Wake step: what the table says is due for this request now. */
export const wakeRequest = async (
  requests: { get(requestId: string): Promise<Scheduled | undefined> },
  requestId: string,
  now: Date,
): Promise<WakePlan> => {
  const request = await requests.get(requestId);
  if (!request) throw new NotFound(`Request ${requestId} does not exist`);
  return planWake(request, now);
};
