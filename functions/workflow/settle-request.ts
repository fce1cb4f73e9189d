import { notifications, partnerStore, requestStore } from '../adapters/wiring.ts';
import { Settlement } from '../domain/settlement.ts';
import { requiredString } from '../shared/event-fields.ts';
import { businessMetrics } from '../shared/metrics.ts';
import { RequestStatus } from '../shared/status.ts';
import { taskHandler } from '../shared/task-handler.ts';

const settlement = new Settlement(requestStore(), partnerStore(), notifications());

/**
 * `Settle`: every outcome passes here once per execution, so this is where it is counted. A
 * Lambda retry after a lost reply would count it twice; the metric shows trends, not a ledger.
 */
export const handler = taskHandler(async (event): Promise<{ status: string }> => {
  const status = await settlement.settle(requiredString(event, 'requestId'));
  if (status !== RequestStatus.PENDING_ACTIVATION) businessMetrics.requestSettled(status);
  return { status };
});
