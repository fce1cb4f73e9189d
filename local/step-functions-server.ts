import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type LocalStepFunctions, SfnError } from './step-functions.ts';

type Action = (body: Record<string, unknown>) => unknown;

/**
 * The AWS JSON 1.0 protocol (`X-Amz-Target: AWSStepFunctions.<Action>`) for the actions the
 * handlers and tests use, so they talk to it with the real @aws-sdk/client-sfn.
 */
export const createStepFunctionsServer = (
  engine: LocalStepFunctions,
  ...others: LocalStepFunctions[]
): Server => {
  // Several machines behind one endpoint, as in an account: each call goes to the machine its
  // state machine ARN, execution ARN or task token belongs to (the first one otherwise, whose
  // error then says it does not exist).
  const engines = [engine, ...others];
  const byMachine = (body: Record<string, unknown>) =>
    engines.find((candidate) => candidate.stateMachineArn === body.stateMachineArn) ?? engine;
  const byExecution = (body: Record<string, unknown>) =>
    engines.find((candidate) => candidate.ownsExecution(body.executionArn as string)) ?? engine;
  const byToken = (body: Record<string, unknown>) =>
    engines.find((candidate) => candidate.ownsTask(body.taskToken as string)) ?? engine;
  const actions: Record<string, Action> = {
    StartExecution: (body) => byMachine(body).startExecution(body),
    DescribeExecution: (body) => byExecution(body).describeExecution(body),
    GetExecutionHistory: (body) => byExecution(body).getExecutionHistory(body),
    ListExecutions: (body) => byMachine(body).listExecutions(),
    SendTaskSuccess: (body) => byToken(body).sendTaskSuccess(body),
    SendTaskFailure: (body) => byToken(body).sendTaskFailure(body),
    SendTaskHeartbeat: () => ({}),
    StopExecution: (body) => byExecution(body).stopExecution(body),
  };

  const reply = (response: import('node:http').ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0' });
    response.end(JSON.stringify(body));
  };

  return createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const action = actions[target.replace(/^AWSStepFunctions\./, '')];
      if (!action) {
        reply(response, 400, {
          __type: 'UnknownOperationException',
          message: `Unsupported: ${target}`,
        });
        return;
      }
      try {
        const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
        reply(response, 200, action(body));
      } catch (error) {
        if (error instanceof SfnError) {
          reply(response, 400, { __type: error.name, message: error.message });
        } else {
          reply(response, 500, { __type: 'InternalFailure', message: String(error) });
        }
      }
    });
  });
};
