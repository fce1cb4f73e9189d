import * as z from 'zod';
import { activationMail } from '../adapters/wiring.ts';
import { logger } from '../shared/logger.ts';

const customerSide = activationMail();

const input = z.object({ requestId: z.string().min(1), taskToken: z.string().min(1) });

/**
 * Invoked by the callback task (`lambda:invoke.waitForTaskToken`). Returning does not end the
 * wait; the activation page or the timeout does. Errors are named for the ASL's Retry/Catch.
 */
export const handler = async (event: unknown): Promise<{ requestId: string }> => {
  const { requestId, taskToken } = input.parse(event);
  logger.appendKeys({ requestId });
  await customerSide.sendForWait(requestId, taskToken);
  return { requestId };
};
