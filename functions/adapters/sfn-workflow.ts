import {
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { Workflow } from '../domain/ports.ts';
import { ServiceUnavailable } from '../shared/errors.ts';

/** The task has moved on: it timed out, was already answered, or its execution ended. */
const STALE_TOKEN_ERRORS = new Set(['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist']);

const isStaleToken = (error: unknown): boolean =>
  error instanceof Error && STALE_TOKEN_ERRORS.has(error.name);

const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

/**
 * Step Functions unreachable, throttling or failing on its side (after the SDK's own retries):
 * the caller answers 503 with Retry-After, and its retry signals again. Anything else is a bug.
 */
const unavailableOr = (error: unknown): unknown => {
  if (!(error instanceof Error)) return error;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const code = (error as { code?: string }).code;
  const transient =
    (status !== undefined && (status >= 500 || status === 429)) ||
    error.name === 'ThrottlingException' ||
    error.name === 'TimeoutError' ||
    (code !== undefined && NETWORK_ERRORS.has(code));
  if (!transient) return error;
  const unavailable = new ServiceUnavailable(`Step Functions unavailable: ${error.name}`, 1);
  unavailable.cause = error;
  return unavailable;
};

/** Step Functions: one Standard execution per request, named after the request id. */
export class SfnWorkflow implements Workflow {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(requestId: string): Promise<void> {
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          // Execution names are unique per machine for 90 days, so a retried create cannot
          // start a second execution for the same request.
          name: requestId,
          input: JSON.stringify({ requestId }),
        }),
      );
    } catch (error) {
      // Same name and same input: the execution from an earlier attempt exists already.
      if (error instanceof Error && error.name === 'ExecutionAlreadyExists') return;
      throw error;
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
