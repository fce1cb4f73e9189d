import { DependencyUnavailable, NotFound, NotPending } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { RequestStatus } from '../shared/status.ts';
import { awaitsSettlement, CloseReason } from './lifecycle.ts';
import type { RequestStore, Workflow } from './ports.ts';
import type { SmartAccountRequest } from './smart-account-request.ts';

/** Error the API sends to end a wait; the ASL catches it and goes to Settle. */
export const REQUEST_CLOSED_ERROR = 'RequestClosed';

/**
 * Ends the workflow's wait after the status was decided elsewhere. A stale token (the timer
 * fired, or a newer attempt replaced it) is fine: the workflow's own path reads the status.
 */
export const endWait = async (
  workflow: Workflow,
  request: Pick<SmartAccountRequest, 'id' | 'status' | 'taskToken'>,
): Promise<boolean> => {
  if (!request.taskToken) return false;
  const delivered =
    request.status === RequestStatus.ACTIVE
      ? await workflow.resume(request.taskToken, { status: request.status })
      : await workflow.abort(request.taskToken, REQUEST_CLOSED_ERROR, request.status);
  if (!delivered)
    logger.info('wait already ended', { requestId: request.id, status: request.status });
  return delivered;
};

/**
 * Ends the wait after a decision or cancel was stored, as the caller's answer goes out. When
 * Step Functions is unavailable the stored status stands and the answer says so: the sweep
 * re-signals the wait within one period (functions/domain/sweep.ts), so nobody has to retry
 * a decision that was already made.
 */
export const signalOrLeaveToSweep = async (
  workflow: Workflow,
  request: SmartAccountRequest,
): Promise<void> => {
  try {
    await endWait(workflow, request);
  } catch (error) {
    if (!(error instanceof DependencyUnavailable)) throw error;
    logger.warn('signal failed; the sweep completes it', {
      requestId: request.id,
      status: request.status,
      error,
    });
  }
};

/** The partner withdraws a pending request (partner API). */
export class Cancellation {
  constructor(
    private readonly requests: RequestStore,
    private readonly workflow: Workflow,
  ) {}

  async cancel(partnerId: string, requestId: string): Promise<SmartAccountRequest> {
    const outcome = await this.requests.close(requestId, RequestStatus.CANCELLED, {
      partnerId,
      reason: CloseReason.CANCELLED_BY_PARTNER,
    });
    if (!outcome) throw new NotFound(`No request ${requestId}`);
    if (!outcome.won) {
      // A retry after a 503 (the signal below failed once the cancel was stored) signals
      // again, so the workflow still settles now rather than when its wait times out.
      if (outcome.request.status === RequestStatus.CANCELLED && awaitsSettlement(outcome.request)) {
        await signalOrLeaveToSweep(this.workflow, outcome.request);
      }
      throw new NotPending(outcome.request.status);
    }
    await signalOrLeaveToSweep(this.workflow, outcome.request);
    return outcome.request;
  }
}
