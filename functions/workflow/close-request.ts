import * as z from 'zod';
import { requestStore } from '../adapters/wiring.ts';
import { closeFromWorkflow } from '../domain/closing.ts';
import { logger } from '../shared/logger.ts';
import { WorkflowCloseStatus } from '../shared/status.ts';

const requests = requestStore();

const input = z.object({
  requestId: z.string().min(1),
  status: z.enum([WorkflowCloseStatus.EXPIRED, WorkflowCloseStatus.FAILED]),
  reason: z.string().max(200).default('Unknown'),
});

/** `Expire` and `MarkFailed`: returns the status that won, which Settle then reports. */
export const handler = async (event: unknown): Promise<{ status: string }> => {
  const { requestId, status, reason } = input.parse(event);
  const outcome = await closeFromWorkflow(requests, requestId, status, reason);
  logger.info('close requested by workflow', { requestId, wanted: status, ...outcome });
  return { status: outcome.status };
};
