import { logger } from '../shared/logger.ts';
import { RequestStatus } from '../shared/status.ts';
import { endWait } from './cancellation.ts';
import type { RequestStore, Workflow } from './ports.ts';

export interface DeliveryProblem {
  readonly requestId: string;
  /** e.g. `Bounce:Permanent:Suppressed` or `Complaint`. */
  readonly reason: string;
}

/**
 * A permanent bounce or a complaint on the activation e-mail: the customer cannot be reached,
 * so the request fails now and the partner is told (by Settle) instead of waiting 90 days.
 */
export const failUndeliverable = async (
  requests: RequestStore,
  workflow: Workflow,
  problem: DeliveryProblem,
): Promise<boolean> => {
  const outcome = await requests.close(problem.requestId, RequestStatus.FAILED, {
    reason: problem.reason,
  });
  if (!outcome?.won) {
    logger.info('delivery problem after the request closed', {
      ...problem,
      status: outcome?.request.status,
    });
    return false;
  }
  await endWait(workflow, outcome.request);
  return true;
};
