import { it } from 'vitest';
import { describeExecution, partnerClient, startTestStack } from '../support/local-stack.ts';
import { createPending, sleep } from './customer-support.ts';

it('explore', async () => {
  const stack = await startTestStack({ activationTimeoutSeconds: 3600, logLevel: 'DEBUG' });
  const partner = partnerClient(stack, stack.partnerKeys[0]);
  const r = await createPending(stack, partner);
  await sleep(500);
  console.log(await describeExecution(stack, r.id));
  console.log(
    stack.stepFunctions.getExecutionHistory({
      executionArn: (await describeExecution(stack, r.id)).executionArn,
    }),
  );
  console.log((await partner.get(r.id)).body);
  await stack.stop();
});
