import { activationMail } from '../adapters/wiring.ts';
import { requiredString } from '../shared/event-fields.ts';
import { businessMetrics } from '../shared/metrics.ts';
import { taskHandler } from '../shared/task-handler.ts';

const customerSide = activationMail();

/**
 * Invoked by the callback task (`lambda:invoke.waitForTaskToken`). Returning does not end the
 * wait; the activation page or the timeout does. Errors are named for the ASL's Retry/Catch.
 */
export const handler = taskHandler(async (event): Promise<{ requestId: string }> => {
  const requestId = requiredString(event, 'requestId');
  const taskToken = requiredString(event, 'taskToken');
  await customerSide.sendForWait(requestId, taskToken);
  businessMetrics.activationEmailSent();
  return { requestId };
});
