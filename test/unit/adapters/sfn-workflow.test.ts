import {
  ExecutionAlreadyExists,
  ExecutionLimitExceeded,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SfnWorkflow } from '../../../functions/adapters/sfn-workflow.ts';
import { DependencyUnavailable } from '../../../functions/shared/errors.ts';

const client = new SFNClient({ region: 'us-east-1' });
const sfn = mockClient(client);
const workflow = new SfnWorkflow(client, 'arn:aws:states:us-east-1:123456789012:stateMachine:sar');

const throttled = () =>
  Object.assign(new Error('Rate exceeded'), {
    name: 'ThrottlingException',
    $metadata: { httpStatusCode: 400 },
  });
const unavailable = () =>
  Object.assign(new Error('Service unavailable'), {
    name: 'ServiceUnavailable',
    $metadata: { httpStatusCode: 503 },
  });
const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

beforeEach(() => {
  sfn.reset();
});

describe('starting an execution', () => {
  it('names the execution after the request, so a retried create cannot start a second one', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'x', $metadata: {} }));

    await expect(workflow.start('sar_1')).resolves.toBeUndefined();
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      name: 'sar_1',
      input: JSON.stringify({ requestId: 'sar_1' }),
    });
  });

  it.each([
    ['throttling', throttled],
    ['a 503', unavailable],
    ['a refused connection', refused],
  ])(
    'reports %s as Step Functions unavailable, with the SDK error as its cause',
    async (_what, error) => {
      const failure = error();
      sfn.on(StartExecutionCommand).rejects(failure);

      const thrown = await workflow.start('sar_1').catch((caught: unknown) => caught);

      expect(thrown).toBeInstanceOf(DependencyUnavailable);
      expect(thrown).toMatchObject({ dependency: 'StepFunctions', cause: failure });
    },
  );

  it('lets a refusal no retry changes through as it is', async () => {
    const limit = new ExecutionLimitExceeded({ message: 'limit', $metadata: {} });
    sfn.on(StartExecutionCommand).rejects(limit);

    await expect(workflow.start('sar_1')).rejects.toBe(limit);
  });
});

describe('signalling a wait', () => {
  it.each([
    ['TaskTimedOut', () => new TaskTimedOut({ message: 'x', $metadata: {} })],
    ['InvalidToken', () => new InvalidToken({ message: 'x', $metadata: {} })],
    ['TaskDoesNotExist', () => new TaskDoesNotExist({ message: 'x', $metadata: {} })],
  ])('answers false when the task has moved on (%s)', async (_name, error) => {
    sfn.on(SendTaskSuccessCommand).rejects(error());
    sfn.on(SendTaskFailureCommand).rejects(error());

    expect(await workflow.resume('token', { status: 'ACTIVE' })).toBe(false);
    expect(await workflow.abort('token', 'RequestClosed', 'CANCELLED')).toBe(false);
  });

  it('reports an outage as Step Functions unavailable, so the caller answers 503 and its retry signals again', async () => {
    sfn.on(SendTaskSuccessCommand).rejects(unavailable());
    sfn.on(SendTaskFailureCommand).rejects(refused());

    await expect(workflow.resume('token', {})).rejects.toBeInstanceOf(DependencyUnavailable);
    await expect(workflow.abort('token', 'RequestClosed', 'CANCELLED')).rejects.toMatchObject({
      name: 'DependencyUnavailable',
      dependency: 'StepFunctions',
    });
  });
});
