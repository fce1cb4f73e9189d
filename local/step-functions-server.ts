import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type LocalStepFunctions, SfnError } from './step-functions.ts';

type Action = (body: Record<string, unknown>) => unknown;

/**
 * The AWS JSON 1.0 protocol (`X-Amz-Target: AWSStepFunctions.<Action>`) for the actions the
 * handlers and tests use, so they talk to it with the real @aws-sdk/client-sfn.
 */
export const createStepFunctionsServer = (engine: LocalStepFunctions): Server => {
  const actions: Record<string, Action> = {
    StartExecution: (body) => engine.startExecution(body),
    DescribeExecution: (body) => engine.describeExecution(body),
    GetExecutionHistory: (body) => engine.getExecutionHistory(body),
    ListExecutions: () => engine.listExecutions(),
    SendTaskSuccess: (body) => engine.sendTaskSuccess(body),
    SendTaskFailure: (body) => engine.sendTaskFailure(body),
    SendTaskHeartbeat: () => ({}),
    StopExecution: (body) => engine.stopExecution(body),
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
