import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { EmailThrottled } from '../../../functions/shared/errors.ts';
import { lambdaContext } from '../../../local/lambda-context.ts';

let apiHandler: typeof import('../../../functions/http/api-handler.ts').apiHandler;
let pageHandler: typeof import('../../../functions/activation/page-handler.ts').pageHandler;
let taskHandler: typeof import('../../../functions/shared/task-handler.ts').taskHandler;
let logger: typeof import('../../../functions/shared/logger.ts').logger;

beforeAll(async () => {
  // What Lambda sets in an on-demand container; Powertools reads it when the logger is built.
  vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
  ({ apiHandler } = await import('../../../functions/http/api-handler.ts'));
  ({ pageHandler } = await import('../../../functions/activation/page-handler.ts'));
  ({ taskHandler } = await import('../../../functions/shared/task-handler.ts'));
  ({ logger } = await import('../../../functions/shared/logger.ts'));
});

/** The JSON log lines the handlers wrote to stdout and stderr. */
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

const linesSaying = (message: string) => lines.filter((line) => line.message === message);

const apiEvent = {
  httpMethod: 'GET',
  path: '/v1/smart-account-requests',
  resource: '/v1/smart-account-requests',
  headers: {},
  requestContext: {},
} as unknown as APIGatewayProxyEvent;

describe('every log line of an invocation says which invocation it was', () => {
  it('an API error: the Lambda request id, the function and the cold start, next to the errorId', async () => {
    const failing = apiHandler(async () => {
      throw new Error('boom');
    });
    const first = lambdaContext('api-get-request');
    const second = lambdaContext('api-get-request');

    const answers = [await failing(apiEvent, first), await failing(apiEvent, second)];

    const logged = linesSaying('request failed');
    expect(logged).toHaveLength(2);
    expect(logged.map((line) => line.function_request_id)).toEqual([
      first.awsRequestId,
      second.awsRequestId,
    ]);
    expect(logged.map((line) => line.cold_start)).toEqual([true, false]);
    expect(logged[0]).toMatchObject({ function_name: 'api-get-request', level: 'ERROR' });
    expect(logged.map((line) => line.errorId)).toEqual(
      answers.map((answer) => JSON.parse(answer.body).errorId),
    );
  });

  it('an activation page error', async () => {
    const failing = pageHandler(async () => {
      throw new Error('boom');
    });
    const context = lambdaContext('activation-show-activation');

    const page = await failing({ ...apiEvent, httpMethod: 'GET' }, context);

    expect(page.statusCode).toBe(500);
    const [logged] = linesSaying('activation page failed');
    expect(logged).toMatchObject({
      function_request_id: context.awsRequestId,
      function_name: 'activation-show-activation',
    });
  });

  it('a workflow task, which also names its request on every line', async () => {
    const task = taskHandler(async () => {
      logger.info('working');
      return { ok: true };
    });
    const context = lambdaContext('workflow-close-request');

    await expect(task({ requestId: 'sar_01A' }, context)).resolves.toEqual({ ok: true });

    const [logged] = linesSaying('working');
    expect(logged).toMatchObject({
      requestId: 'sar_01A',
      function_request_id: context.awsRequestId,
      function_name: 'workflow-close-request',
    });
  });
});

describe('keys appended during an invocation end with it', () => {
  it('a warm container does not stamp the last request id, or any appended key, on the next invocation', async () => {
    const task = taskHandler(async (event) => {
      if ((event as { tag?: string }).tag)
        logger.appendKeys({ tag: (event as { tag: string }).tag });
      logger.info('working');
      return {};
    });

    await task({ requestId: 'sar_01A', tag: 'first' }, lambdaContext('workflow-wake'));
    await task({}, lambdaContext('workflow-wake'));

    const [first, second] = linesSaying('working');
    expect(first).toMatchObject({ requestId: 'sar_01A', tag: 'first' });
    expect(second).not.toHaveProperty('requestId');
    expect(second).not.toHaveProperty('tag');
  });

  it('also after a failed invocation', async () => {
    const task = taskHandler(async (event) => {
      logger.info('working');
      if ((event as { fail?: boolean }).fail) throw new EmailThrottled('SES is busy');
      return {};
    });

    await expect(task({ requestId: 'sar_01A', fail: true }, lambdaContext('x'))).rejects.toThrow(
      'SES is busy',
    );
    await task({}, lambdaContext('x'));

    const [, second] = linesSaying('working');
    expect(second).not.toHaveProperty('requestId');
  });
});

describe('workflow task errors', () => {
  it('reach the state machine unchanged: their names are what Retry and Catch match', async () => {
    const task = taskHandler(async () => {
      throw new EmailThrottled('SES is busy');
    });

    const error = await task({ requestId: 'sar_01A' }, lambdaContext('x')).catch(
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(EmailThrottled);
    expect((error as Error).name).toBe('EmailThrottled');
  });
});
