import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';

/** One PutEvents entry as the local bus kept it. */
export interface LocalBusEntry {
  readonly source: string;
  readonly detailType: string;
  readonly busName: string;
  /** The event, as the handler put it (JSON-parsed Detail). */
  readonly detail: unknown;
}

export interface LocalEventBus {
  readonly server: Server;
  /** What was published, oldest first. */
  entries(): readonly LocalBusEntry[];
}

/**
 * EventBridge's PutEvents, enough for the handlers' real @aws-sdk/client-eventbridge
 * (AWS_ENDPOINT_URL_EVENTBRIDGE points here): it keeps every entry, which `npm start` shows at
 * GET /_local/events. No rules: on AWS a rule on the stack's bus does the routing.
 */
export const createLocalEventBus = (): LocalEventBus => {
  const kept: LocalBusEntry[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = (status: number, body: unknown) => {
        response.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify(body));
      };
      if (request.headers['x-amz-target'] !== 'AWSEvents.PutEvents') {
        answer(400, { __type: 'UnknownOperationException', message: 'Only PutEvents is local' });
        return;
      }
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          Entries?: { Source: string; DetailType: string; Detail: string; EventBusName: string }[];
        };
        const entries = body.Entries ?? [];
        for (const entry of entries) {
          kept.push({
            source: entry.Source,
            detailType: entry.DetailType,
            busName: entry.EventBusName,
            detail: JSON.parse(entry.Detail),
          });
        }
        answer(200, {
          FailedEntryCount: 0,
          Entries: entries.map(() => ({ EventId: randomUUID() })),
        });
      } catch (error) {
        answer(400, { __type: 'ValidationException', message: String(error) });
      }
    });
  });
  return { server, entries: () => kept };
};
