import { AsyncLocalStorage } from 'node:async_hooks';
import diagnosticsChannel from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage, Server } from 'node:http';

/**
 * Counts the AWS calls (DynamoDB, Step Functions, SES) each local server's requests make,
 * without a proxy in the path: Node publishes every HTTP request on diagnostics channels, and
 * the context of an inbound request (set when it starts) follows its handler's async work to
 * the outbound SDK requests.
 *
 * A server labelled `api` attributes everything its handlers call (authorizer, handler, SDK)
 * to `api`; requests from other code (the workflow, started from the Step Functions server's
 * socket callbacks) land under `background`.
 */
export interface CallCounts {
  /** Inbound requests per labelled server. */
  readonly requests: Record<string, number>;
  /** Outbound calls per origin label, then per `Service.Operation`. */
  readonly calls: Record<string, Record<string, number>>;
}

export interface CallCounter {
  snapshot(): CallCounts;
  reset(): void;
  stop(): void;
}

const BACKGROUND = 'background';

const operationOf = (request: ClientRequest, services: ReadonlyMap<number, string>): string => {
  const port = Number(request.getHeader('host')?.toString().split(':')[1] ?? 0);
  const service = services.get(port) ?? `port ${port}`;
  const target = request.getHeader('x-amz-target');
  if (typeof target === 'string') return `${service}.${target.split('.').at(-1)}`;
  // SES v2 is REST: the path names the operation.
  return `${service}.${request.method} ${request.path.split('?')[0]}`;
};

/**
 * @param labels inbound server port → origin label (e.g. the local API → `api`)
 * @param services outbound port → service name (e.g. dynalite → `DynamoDB`)
 */
export const countCalls = (
  labels: ReadonlyMap<number, string>,
  services: ReadonlyMap<number, string>,
): CallCounter => {
  const origin = new AsyncLocalStorage<string>();
  let counts: { requests: Record<string, number>; calls: Record<string, Record<string, number>> } =
    { requests: {}, calls: {} };

  const onServerRequest = (message: unknown) => {
    const { request } = message as { request: IncomingMessage; server: Server };
    const label = labels.get(request.socket.localPort ?? 0);
    if (!label) return;
    counts.requests[label] = (counts.requests[label] ?? 0) + 1;
    // Published synchronously right before the server emits 'request': the handler, and every
    // promise it awaits, runs in this context.
    origin.enterWith(label);
  };

  const onClientRequest = (message: unknown) => {
    const { request } = message as { request: ClientRequest };
    const operation = operationOf(request, services);
    if (operation.startsWith('port ')) return;
    const from = origin.getStore() ?? BACKGROUND;
    const calls = counts.calls[from] ?? {};
    calls[operation] = (calls[operation] ?? 0) + 1;
    counts.calls[from] = calls;
  };

  diagnosticsChannel.subscribe('http.server.request.start', onServerRequest);
  diagnosticsChannel.subscribe('http.client.request.start', onClientRequest);
  return {
    snapshot: () => structuredClone(counts),
    reset: () => {
      counts = { requests: {}, calls: {} };
    },
    stop: () => {
      diagnosticsChannel.unsubscribe('http.server.request.start', onServerRequest);
      diagnosticsChannel.unsubscribe('http.client.request.start', onClientRequest);
    },
  };
};

export const portOf = (url: string): number => Number(new URL(url).port);
