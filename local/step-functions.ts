import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';

export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';

/** `$$.Task.Token` resolves to this in the Parameters; each attempt swaps in a fresh token. */
const TOKEN_PLACEHOLDER = '__LOCAL_TASK_TOKEN__';

const CALLBACK_RESOURCE = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const INVOKE_RESOURCE = 'arn:aws:states:::lambda:invoke';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface HistoryEvent {
  readonly type: string;
  readonly stateName?: string;
  readonly timestamp: number;
}

interface Execution {
  readonly executionArn: string;
  readonly name: string;
  readonly input: string;
  readonly startDate: number;
  status: ExecutionStatus;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  abort: () => void;
  readonly history: HistoryEvent[];
}

interface PendingTask {
  readonly executionName: string;
  readonly stateName: string;
  state: 'WAITING' | 'DONE' | 'TIMED_OUT';
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
}

/** Errors in the shape the AWS JSON protocol returns (`__type`). */
export class SfnError extends Error {
  constructor(
    override readonly name: string,
    message: string,
  ) {
    super(message);
  }
}

const namedError = (name: string, message: string): Error => {
  const error = new Error(message);
  error.name = name;
  return error;
};

const replaceDeep = (value: unknown, from: string, to: string): unknown => {
  if (value === from) return to;
  if (Array.isArray(value)) return value.map((item) => replaceDeep(item, from, to));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceDeep(v, from, to)]));
  }
  return value;
};

export const substitute = (definition: string, substitutions: Record<string, string>): string =>
  definition.replace(/\$\{(\w+)\}/g, (match, name: string) => substitutions[name] ?? match);

export interface LocalStepFunctionsOptions {
  readonly definitionFile: string;
  readonly substitutions: Record<string, string>;
  readonly stateMachineName: string;
  /** Runs the Lambda behind a function ARN; rejects with the handler's named error. */
  readonly invoke: (functionArn: string, payload: unknown) => Promise<unknown>;
  /** Shortens every Retry interval (ms) so fault tests do not wait for real backoff. */
  readonly retryIntervalMs?: number;
}

/**
 * Step Functions for one state machine, on aws-local-stepfunctions, running the very ASL file
 * the CDK stack deploys (with the same substitutions mechanism). It adds what the library
 * leaves to the service: named executions, task tokens for `.waitForTaskToken`, the token
 * API, stop and describe.
 */
export class LocalStepFunctions {
  readonly stateMachineArn: string;
  private readonly machine: StateMachine;
  private readonly definition: { States: Record<string, Record<string, unknown>> };
  private readonly executions = new Map<string, Execution>();
  private readonly tasks = new Map<string, PendingTask>();

  constructor(private readonly options: LocalStepFunctionsOptions) {
    this.stateMachineArn = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${options.stateMachineName}`;
    const text = substitute(readFileSync(options.definitionFile, 'utf8'), options.substitutions);
    this.definition = JSON.parse(text);
    this.machine = new StateMachine(this.definition as never, {
      validationOptions: { checkArn: true, checkPaths: true },
    });
  }

  startExecution(request: { stateMachineArn?: string; name?: string; input?: string }): {
    executionArn: string;
    startDate: number;
  } {
    if (request.stateMachineArn !== this.stateMachineArn) {
      throw new SfnError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${request.stateMachineArn}'`,
      );
    }
    const name = request.name ?? randomBytes(16).toString('hex');
    const input = request.input ?? '{}';
    const existing = this.executions.get(name);
    if (existing) {
      // Like the service: the same name and input is idempotent, anything else a conflict.
      if (existing.input === input && existing.status === 'RUNNING') {
        return { executionArn: existing.executionArn, startDate: existing.startDate / 1000 };
      }
      throw new SfnError(
        'ExecutionAlreadyExists',
        `Execution Already Exists: '${existing.executionArn}'`,
      );
    }
    const executionArn = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${this.options.stateMachineName}:${name}`;
    const run = this.machine.run(JSON.parse(input), {
      overrides: {
        // The handlers return JSON (Lambda's JSON boundary), which the library's type cannot see.
        taskResourceLocalHandlers: this.taskHandlers(name) as never,
        ...(this.options.retryIntervalMs !== undefined
          ? { retryIntervalOverrides: this.retryOverrides(this.options.retryIntervalMs) }
          : {}),
      },
      context: {
        Execution: { Id: executionArn, Name: name },
        StateMachine: { Id: this.stateMachineArn, Name: this.options.stateMachineName },
        Task: { Token: TOKEN_PLACEHOLDER },
      },
    });
    const execution: Execution = {
      executionArn,
      name,
      input,
      startDate: Date.now(),
      status: 'RUNNING',
      abort: run.abort,
      history: [],
    };
    this.executions.set(name, execution);
    this.follow(execution, run.eventLogs as AsyncGenerator<Record<string, unknown>>);
    run.result.then(
      (output: unknown) => this.finish(execution, 'SUCCEEDED', { output: JSON.stringify(output) }),
      (error: Error & { cause?: unknown }) => {
        if (execution.status !== 'RUNNING') return;
        const inner = (error.cause as Error | undefined) ?? error;
        this.finish(execution, 'FAILED', { error: inner.name, cause: inner.message });
      },
    );
    return { executionArn, startDate: execution.startDate / 1000 };
  }

  describeExecution(request: { executionArn?: string }) {
    const execution = this.byArn(request.executionArn);
    return {
      executionArn: execution.executionArn,
      stateMachineArn: this.stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: execution.startDate / 1000,
      ...(execution.stopDate ? { stopDate: execution.stopDate / 1000 } : {}),
      input: execution.input,
      ...(execution.output !== undefined ? { output: execution.output } : {}),
      ...(execution.error ? { error: execution.error, cause: execution.cause } : {}),
    };
  }

  getExecutionHistory(request: { executionArn?: string }) {
    const execution = this.byArn(request.executionArn);
    return {
      events: execution.history.map((event, index) => ({
        id: index + 1,
        type: event.type,
        timestamp: event.timestamp / 1000,
        ...(event.stateName ? { stateEnteredEventDetails: { name: event.stateName } } : {}),
      })),
    };
  }

  listExecutions() {
    return {
      executions: [...this.executions.values()].map((execution) => ({
        executionArn: execution.executionArn,
        stateMachineArn: this.stateMachineArn,
        name: execution.name,
        status: execution.status,
        startDate: execution.startDate / 1000,
      })),
    };
  }

  sendTaskSuccess(request: { taskToken?: string; output?: string }): Record<string, never> {
    const task = this.openTask(request.taskToken);
    let output: unknown;
    try {
      output = JSON.parse(request.output ?? '');
    } catch {
      throw new SfnError('InvalidOutput', 'Invalid State Machine Execution Output');
    }
    task.state = 'DONE';
    task.resolve(output);
    return {};
  }

  sendTaskFailure(request: {
    taskToken?: string;
    error?: string;
    cause?: string;
  }): Record<string, never> {
    const task = this.openTask(request.taskToken);
    task.state = 'DONE';
    task.reject(namedError(request.error ?? 'States.TaskFailed', request.cause ?? ''));
    return {};
  }

  stopExecution(request: { executionArn?: string; error?: string; cause?: string }) {
    const execution = this.byArn(request.executionArn);
    if (execution.status === 'RUNNING') {
      this.finish(execution, 'ABORTED', { error: request.error, cause: request.cause });
      execution.abort();
    }
    return { stopDate: (execution.stopDate ?? Date.now()) / 1000 };
  }

  /** Whether an execution ARN names an execution of this machine (the server routes by it). */
  ownsExecution(executionArn: string | undefined): boolean {
    return (executionArn ?? '').startsWith(
      `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:`,
    );
  }

  /** Whether a task token is one of this machine's open tasks. */
  ownsTask(taskToken: string | undefined): boolean {
    return taskToken !== undefined && this.tasks.has(taskToken);
  }

  /** Ends every running execution (the local stack is shutting down). */
  stopAll(): void {
    for (const execution of this.executions.values()) {
      if (execution.status === 'RUNNING')
        this.stopExecution({ executionArn: execution.executionArn });
    }
  }

  private openTask(token: string | undefined): PendingTask {
    const task = token ? this.tasks.get(token) : undefined;
    if (!task) throw new SfnError('InvalidToken', 'Invalid Token');
    if (task.state === 'TIMED_OUT') throw new SfnError('TaskTimedOut', 'Task Timed Out');
    if (task.state === 'DONE') throw new SfnError('TaskTimedOut', 'Task Timed Out');
    return task;
  }

  private byArn(executionArn: string | undefined): Execution {
    const name = executionArn?.split(':').at(-1) ?? '';
    const execution = this.executions.get(name);
    if (!execution || execution.executionArn !== executionArn) {
      throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    }
    return execution;
  }

  private finish(
    execution: Execution,
    status: ExecutionStatus,
    details: { output?: string; error?: string; cause?: string },
  ): void {
    if (execution.status !== 'RUNNING') return;
    execution.status = status;
    execution.stopDate = Date.now();
    Object.assign(execution, details);
    this.closeTasks(execution.name);
  }

  /** A task whose state ended (timeout, catch, stop) can no longer be answered. */
  private closeTasks(executionName: string, stateName?: string): void {
    for (const task of this.tasks.values()) {
      if (task.executionName !== executionName || task.state !== 'WAITING') continue;
      if (stateName && task.stateName !== stateName) continue;
      task.state = 'TIMED_OUT';
    }
  }

  private async follow(
    execution: Execution,
    events: AsyncGenerator<Record<string, unknown>>,
  ): Promise<void> {
    try {
      for await (const event of events) {
        const state = event.state as { name: string; type: string } | undefined;
        execution.history.push({
          type: state ? `${state.type}${String(event.type)}` : String(event.type),
          stateName: state?.name,
          timestamp: Number(event.timestamp ?? Date.now()),
        });
        if (state && (event.type === 'StateFailed' || event.type === 'StateExited')) {
          this.closeTasks(execution.name, state.name);
        }
        if (String(event.type).startsWith('Execution') && event.type !== 'ExecutionStarted') break;
      }
    } catch {
      // The library ends the generator when the execution stops; nothing left to record.
    }
  }

  private taskHandlers(executionName: string) {
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const [stateName, state] of Object.entries(this.definition.States)) {
      if (state.Type !== 'Task') continue;
      if (state.Resource === CALLBACK_RESOURCE) {
        handlers[stateName] = (input) => this.runCallbackTask(executionName, stateName, input);
      } else if (state.Resource === INVOKE_RESOURCE) {
        handlers[stateName] = async (input) => {
          const { FunctionName, Payload } = input as { FunctionName: string; Payload: unknown };
          const result = await this.options.invoke(FunctionName, Payload);
          return { ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 };
        };
      } else {
        throw new Error(
          `The local stack cannot run resource ${String(state.Resource)} (${stateName})`,
        );
      }
    }
    return handlers;
  }

  private async runCallbackTask(
    executionName: string,
    stateName: string,
    input: unknown,
  ): Promise<unknown> {
    const token = randomBytes(48).toString('base64url');
    const { FunctionName, Payload } = replaceDeep(input, TOKEN_PLACEHOLDER, token) as {
      FunctionName: string;
      Payload: unknown;
    };
    const result = new Promise<unknown>((resolve, reject) => {
      this.tasks.set(token, { executionName, stateName, state: 'WAITING', resolve, reject });
    });
    // An answer can arrive while the Lambda is still running; if the Lambda then fails, its
    // error wins and the early answer must not surface as an unhandled rejection.
    result.catch(() => undefined);
    try {
      await this.options.invoke(FunctionName, Payload);
    } catch (error) {
      const task = this.tasks.get(token);
      if (task) task.state = 'DONE';
      throw error;
    }
    return result;
  }

  private retryOverrides(intervalMs: number): Record<string, number> {
    return Object.fromEntries(
      Object.entries(this.definition.States)
        .filter(([, state]) => Array.isArray(state.Retry))
        .map(([name]) => [name, intervalMs]),
    );
  }
}
