import {
  DescribeExecutionCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { Workflow } from '../domain/ports.ts';
import { executionNameOf } from '../domain/sweep.ts';
import { Dependency } from '../shared/errors.ts';
import { dependencyError } from './dependency-errors.ts';

/** The task has moved on: it timed out, was already answered, or its execution ended. */
const STALE_TOKEN_ERRORS = new Set(['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist']);

const isStaleToken = (error: unknown): boolean =>
  error instanceof Error && STALE_TOKEN_ERRORS.has(error.name);

/**
 * Step Functions unreachable, throttling or failing on its side (after the SDK's own retries)
 * becomes DependencyUnavailable: the caller answers 503 and its retry signals again.
 */
const unavailableOr = (error: unknown): unknown => dependencyError(Dependency.WORKFLOW, error);

/** Step Functions: one Standard execution per request at a time, named after the request id. */
export class SfnWorkflow implements Workflow {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(requestId: string, attempt = 1): Promise<void> {
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          // Execution names are unique per machine for 90 days, so a retried create (or a
          // retried sweep) cannot start a second execution for the same attempt.
          name: executionNameOf(requestId, attempt),
          input: JSON.stringify({ requestId }),
        }),
      );
    } catch (error) {
      // Same name and same input: the execution from an earlier attempt exists already.
      if (error instanceof Error && error.name === 'ExecutionAlreadyExists') return;
      throw unavailableOr(error);
    }
  }

  async isRunning(requestId: string, attempt: number): Promise<boolean> {
    // An execution's ARN is its machine's with `execution` for `stateMachine` and its name.
    const executionArn = `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionNameOf(requestId, attempt)}`;
    try {
      const { status } = await this.client.send(new DescribeExecutionCommand({ executionArn }));
      return status === 'RUNNING';
    } catch (error) {
      if (error instanceof Error && error.name === 'ExecutionDoesNotExist') return false;
      throw unavailableOr(error);
    }
  }

  async resume(taskToken: string, output: unknown): Promise<boolean> {
    try {
      await this.client.send(
        new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }),
      );
      return true;
    } catch (error) {
      if (isStaleToken(error)) return false;
      throw unavailableOr(error);
    }
  }

  async abort(taskToken: string, error: string, cause: string): Promise<boolean> {
    try {
      await this.client.send(new SendTaskFailureCommand({ taskToken, error, cause }));
      return true;
    } catch (failure) {
      if (isStaleToken(failure)) return false;
      throw unavailableOr(failure);
    }
  }
}
