import { activationMail } from '../adapters/wiring.ts';
import { requiredString } from '../shared/event-fields.ts';
import { logger } from '../shared/logger.ts';

const customerSide = activationMail();

/**
 * Invoked by the callback task (`lambda:invoke.waitForTaskToken`). Returning does not end the
 * wait; the activation page or the timeout does. Errors are named for the ASL's Retry/Catch.
 */
export const handler = async (event: unknown): Promise<{ requestId: string }> => {
  const requestId = requiredString(event, 'requestId');
  const taskToken = requiredString(event, 'taskToken');
  logger.appendKeys({ requestId });
  await customerSide.sendForWait(requestId, taskToken);
  return { requestId };
};
