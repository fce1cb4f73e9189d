import { activationMail } from '../adapters/wiring.ts';
import { positiveInteger, requiredString } from '../shared/event-fields.ts';
import { businessMetrics } from '../shared/metrics.ts';
import { taskHandler } from '../shared/task-handler.ts';

const customerSide = activationMail();

/**
 * Invoked by the callback task (`lambda:invoke.waitForTaskToken`) each time the execution
 * waits. Returning does not end the wait; the activation page, a cancel or the timeout at the
 * planned wake does. Errors are named for the ASL's Retry/Catch.
 */
export const handler = taskHandler(async (event): Promise<{ requestId: string }> => {
  const requestId = requiredString(event, 'requestId');
  const taskToken = requiredString(event, 'taskToken');
  const { mailed } = await customerSide.sendForWait(
    requestId,
    taskToken,
    positiveInteger(event, 'waitSeconds'),
  );
  if (mailed) businessMetrics.activationEmailSent();
  return { requestId };
});
