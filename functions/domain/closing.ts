import { NotFound } from '../shared/errors.ts';
import type { WorkflowCloseStatus } from '../shared/status.ts';
import type { RequestStore } from './ports.ts';

/**
 * Workflow step for the expiry timer and for undeliverable activation mail. It may lose the
 * conditional write (the customer activated as the timer fired); it then reports the winner.
 */
export const closeFromWorkflow = async (
  requests: RequestStore,
  requestId: string,
  status: WorkflowCloseStatus,
  reason: string,
): Promise<{ status: string; won: boolean }> => {
  const outcome = await requests.close(requestId, status, { reason });
  if (!outcome) throw new NotFound(`Request ${requestId} does not exist`);
  return { status: outcome.request.status, won: outcome.won };
};
