import { requestStore } from '../adapters/wiring.ts';
import { closeFromWorkflow } from '../domain/closing.ts';
import type { WakePlan } from '../domain/schedule.ts';
import { oneOf, optionalString, requiredString } from '../shared/event-fields.ts';
import { logger } from '../shared/logger.ts';
import { WorkflowCloseStatus } from '../shared/status.ts';
import { taskHandler } from '../shared/task-handler.ts';

const requests = requestStore();
const closeStatuses = Object.values(WorkflowCloseStatus);

/**
 * `Expire` and `MarkFailed`: returns the status that won, which Settle then reports, and what
 * is due next (Expire goes back to Due: settle, or wait for an extended expiry).
 */
export const handler = taskHandler(async (event): Promise<{ status: string } & WakePlan> => {
  const requestId = requiredString(event, 'requestId');
  const status = oneOf(event, 'status', closeStatuses);
  const reason = (optionalString(event, 'reason') ?? 'Unknown').slice(0, 200);
  const outcome = await closeFromWorkflow(requests, requestId, status, reason);
  logger.info('close requested by workflow', { requestId, wanted: status, ...outcome });
  return { status: outcome.status, ...outcome.plan };
});
