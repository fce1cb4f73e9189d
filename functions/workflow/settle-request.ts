import {
  domainLocks,
  eventPublisher,
  notifications,
  partnerStore,
  requestStore,
  statusCounts,
} from '../adapters/wiring.ts';
import { Settlement } from '../domain/settlement.ts';
import { config } from '../shared/config.ts';
import { requiredString } from '../shared/event-fields.ts';
import { businessMetrics } from '../shared/metrics.ts';
import { RequestStatus } from '../shared/status.ts';
import { taskHandler } from '../shared/task-handler.ts';

const settlement = new Settlement(
  requestStore(),
  partnerStore(),
  notifications(),
  statusCounts(),
  domainLocks(),
  {
    days: config.retentionDays(),
    bySweep: config.retentionBySweep(),
  },
);
const events = eventPublisher();

/**
 * `Settle`: every outcome passes here once per execution, so this is where it is counted. A
 * Lambda retry after a lost reply would count it twice; the metric shows trends, not a ledger.
 */
export const handler = taskHandler(async (event): Promise<{ status: string }> => {
  const requestId = requiredString(event, 'requestId');
  // The close's event first: settling takes the request out of the sweep's index, and the
  // sweep is what publishes events a crash left behind.
  await events.publish(requestId);
  const status = await settlement.settle(requestId);
  if (status !== RequestStatus.PENDING_ACTIVATION) businessMetrics.requestSettled(status);
  return { status };
});
