import { NotFound } from '../shared/errors.ts';
import { RequestStatus, type WorkflowCloseStatus } from '../shared/status.ts';
import type { RequestStore } from './ports.ts';
import { planWake, type WakePlan } from './schedule.ts';

/**
 * Workflow step for the expiry and for undeliverable activation mail. It may lose the
 * conditional write: to a decision or cancel (it then reports the winner), or, for an expiry,
 * to an extension written after Wake read the request (the request is still pending, and the
 * plan says to wait for its new date). The expiry is conditional on `expiresAt` having passed.
 */
export const closeFromWorkflow = async (
  requests: RequestStore,
  requestId: string,
  status: WorkflowCloseStatus,
  reason: string,
  now: Date = new Date(),
): Promise<{ status: string; won: boolean; plan: WakePlan }> => {
  const outcome = await requests.close(requestId, status, {
    reason,
    at: now,
    ...(status === RequestStatus.EXPIRED ? { dueBy: now } : {}),
  });
  if (!outcome) throw new NotFound(`Request ${requestId} does not exist`);
  return {
    status: outcome.request.status,
    won: outcome.won,
    plan: planWake(outcome.request, now),
  };
};
