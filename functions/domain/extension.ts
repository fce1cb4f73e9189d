import { NotFound, NotPending, ValidationFailed } from '../shared/errors.ts';
import { RequestStatus } from '../shared/status.ts';
import type { RequestStore } from './ports.ts';
import { nextReminderAfter } from './reminders.ts';
import type { SmartAccountRequest } from './smart-account-request.ts';

/**
 * A Standard execution runs for at most a year: an extended request must still expire inside
 * it, with a day to spare for the last steps (contract: at most 364 days after createdAt).
 */
export const MAX_EXTENSION_DAYS = 364;
const DAY_MS = 86_400_000;

/** Why a new expiry is refused for this request, or undefined when it may be set. */
export const extensionProblem = (
  request: Pick<SmartAccountRequest, 'createdAt' | 'expiresAt'>,
  expiresAt: Date,
): string | undefined => {
  if (expiresAt.getTime() <= Date.parse(request.expiresAt)) {
    return `Must be later than the current expiresAt (${request.expiresAt}).`;
  }
  const latest = new Date(Date.parse(request.createdAt) + MAX_EXTENSION_DAYS * DAY_MS);
  if (expiresAt.getTime() > latest.getTime()) {
    return `At most ${MAX_EXTENSION_DAYS} days after createdAt: no later than ${latest.toISOString()}.`;
  }
  return undefined;
};

/**
 * The partner moves a pending request's expiry. Only the table changes: the execution wakes at
 * its planned time, reads the new date and waits again (schedule.ts), so no signal is needed.
 * The new date's reminders come later than the old plan's, except one whose offset is longer
 * than the time the extension added: that one goes out when the execution wakes as planned
 * (at the old plan's next reminder at the latest), saying how many days are left then.
 * The write is conditional on the expiry it was checked against; if the expiry wins first
 * (its write is conditional on expiresAt having passed) the partner gets 409.
 */
export const extendRequest = async (
  requests: RequestStore,
  partnerId: string,
  requestId: string,
  expiresAt: Date,
  reminderOffsetsSeconds: readonly number[],
  now: Date = new Date(),
): Promise<SmartAccountRequest> => {
  // A concurrent extension changes the expiry under us: check again against the new one.
  for (let attempt = 0; attempt < 3; attempt++) {
    const request = await requests.get(requestId);
    if (!request || request.partnerId !== partnerId) throw new NotFound(`No request ${requestId}`);
    if (request.status !== RequestStatus.PENDING_ACTIVATION) throw new NotPending(request.status);
    const problem = extensionProblem(request, expiresAt);
    if (problem) throw new ValidationFailed([{ path: 'expiresAt', message: problem }]);
    const to = expiresAt.toISOString();
    const extended = await requests.extend(requestId, {
      from: request.expiresAt,
      to,
      // Reminders follow the new date; offsets already past now are skipped, not sent at once.
      nextReminderAt: nextReminderAfter(to, reminderOffsetsSeconds, now),
    });
    if (extended) return extended;
  }
  const current = await requests.get(requestId);
  throw new NotPending(current?.status ?? RequestStatus.PENDING_ACTIVATION);
};
