import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { inInvocation, scopeInvocations } from '../../../local/invocation-scope.ts';
import { lambdaContext } from '../../../local/lambda-context.ts';

let taskHandler: typeof import('../../../functions/shared/task-handler.ts').taskHandler;
let logger: typeof import('../../../functions/shared/logger.ts').logger;

beforeAll(async () => {
  // What the local stack does: every function in one process, invocations at once.
  for (const [name, value] of Object.entries(scopeInvocations())) vi.stubEnv(name, value);
  ({ taskHandler } = await import('../../../functions/shared/task-handler.ts'));
  ({ logger } = await import('../../../functions/shared/logger.ts'));
});

let lines: Record<string, unknown>[] = [];

beforeEach(() => {
  lines = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      for (const line of String(chunk).split('\n')) {
        if (line.startsWith('{')) lines.push(JSON.parse(line));
      }
      return true;
    });
  }
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('invocations of the local stack that run at the same time', () => {
  it('each log with their own request id, function and keys, even when another one ends first', async () => {
    let secondDone: () => void = () => undefined;
    const secondEnded = new Promise<void>((resolve) => {
      secondDone = resolve;
    });
    const slow = taskHandler(async () => {
      logger.appendKeys({ step: 'slow' });
      // The other invocation starts, logs and ends (resetting its keys) meanwhile.
      await secondEnded;
      logger.info('slow one done');
      return {};
    });
    const quick = taskHandler(async () => {
      logger.info('quick one done');
      return {};
    });
    const first = lambdaContext('workflow-send-activation');
    const second = lambdaContext('workflow-settle-request');

    const running = inInvocation(first.awsRequestId, () => slow({ requestId: 'sar_01A' }, first));
    await inInvocation(second.awsRequestId, () => quick({ requestId: 'sar_01B' }, second));
    secondDone();
    await running;

    const byMessage = Object.fromEntries(lines.map((line) => [line.message, line]));
    expect(byMessage['quick one done']).toMatchObject({
      requestId: 'sar_01B',
      function_name: 'workflow-settle-request',
      function_request_id: second.awsRequestId,
    });
    expect(byMessage['quick one done']).not.toHaveProperty('step');
    expect(byMessage['slow one done']).toMatchObject({
      requestId: 'sar_01A',
      step: 'slow',
      function_name: 'workflow-send-activation',
      function_request_id: first.awsRequestId,
    });
  });
});
