import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import { close, LOOPBACK, listen } from './listen.ts';

/**
 * Fault injection for the local stack (opt-in: `startStack({ faults: true })`). A small HTTP
 * proxy stands in front of each AWS stand-in — dynalite, aws-ses-v2-local and the local Step
 * Functions endpoint — and the handlers reach the stand-ins only through it. Each call passes
 * through unchanged unless a test armed a fault for it: answer with an AWS error in the
 * service's own protocol, delay it, drop the connection before or after the stand-in ran the
 * call, or refuse connections altogether (the endpoint is "down" until accepted again).
 *
 * Test-side clients (table scans, the SES store, DescribeExecution) keep talking to the
 * stand-ins directly, so they observe the truth while the handlers see the faults.
 */
export type FaultService = 'dynamodb' | 'sfn' | 'ses';

export type FaultAction =
  /** Answer with this AWS error (`name` as the SDK will see it) instead of forwarding. */
  | {
      readonly kind: 'error';
      readonly name: string;
      readonly status?: number;
      readonly message?: string;
    }
  /** Forward after a pause. */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Close the connection without an answer; the stand-in never sees the call. */
  | { readonly kind: 'drop' }
  /** Forward, let the stand-in do the work, then close the connection: the reply is lost. */
  | { readonly kind: 'lose-reply' };

export interface FaultRule {
  readonly service: FaultService;
  /** API operation, e.g. `PutItem`, `StartExecution`, `SendTaskSuccess`, `SendEmail`; any when absent. */
  readonly operation?: string;
  /** Narrows the rule to calls whose JSON body matches, e.g. a PutItem of a request item. */
  readonly when?: (body: Record<string, unknown>) => boolean;
  /** How many matching calls fail (default 1); `Infinity` until removed. */
  readonly times?: number;
  readonly action: FaultAction;
}

export interface ArmedFault {
  /** Matching calls this fault has hit so far. */
  readonly hits: number;
  /** True once it has hit `times` calls. */
  readonly spent: boolean;
  disarm(): void;
}

export interface CallRecord {
  readonly service: FaultService;
  readonly operation: string;
  readonly body: Record<string, unknown>;
  /** What happened to it: `forwarded`, or the kind of fault injected. */
  readonly outcome: 'forwarded' | FaultAction['kind'];
}

interface Armed {
  readonly rule: FaultRule;
  readonly times: number;
  hits: number;
  disarmed: boolean;
}

interface Proxy {
  readonly service: FaultService;
  readonly server: Server;
  readonly upstreamPort: number;
  readonly sockets: Set<Socket>;
  port: number;
  accepting: boolean;
}

const SES_OPERATIONS: readonly [method: string, path: RegExp, operation: string][] = [
  ['POST', /^\/v2\/email\/outbound-emails\/?$/, 'SendEmail'],
];

const operationOf = (service: FaultService, request: IncomingMessage): string => {
  if (service === 'ses') {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const match = SES_OPERATIONS.find(
      ([method, pattern]) => method === request.method && pattern.test(path),
    );
    return match?.[2] ?? `${request.method} ${path}`;
  }
  const target = String(request.headers['x-amz-target'] ?? '');
  return target.slice(target.indexOf('.') + 1);
};

/** The error as the real service would send it, so the SDK names it exactly as on AWS. */
const errorReply = (
  service: FaultService,
  action: Extract<FaultAction, { kind: 'error' }>,
): { status: number; headers: Record<string, string>; body: string } => {
  const message = action.message ?? `Injected fault: ${action.name}`;
  if (service === 'ses') {
    // SES v2 speaks REST-JSON: the error type travels in a header.
    return {
      status: action.status ?? (action.name === 'TooManyRequestsException' ? 429 : 400),
      headers: { 'Content-Type': 'application/json', 'x-amzn-ErrorType': action.name },
      body: JSON.stringify({ message }),
    };
  }
  const namespace =
    service === 'dynamodb'
      ? 'com.amazonaws.dynamodb.v20120810#'
      : 'com.amazonaws.swf.service.v2.model#';
  const serverFault = /InternalServerError|InternalFailure|ServiceUnavailable/.test(action.name);
  return {
    status: action.status ?? (serverFault ? 500 : 400),
    headers: { 'Content-Type': 'application/x-amz-json-1.0' },
    body: JSON.stringify({ __type: `${namespace}${action.name}`, message }),
  };
};

const readBody = (request: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });

const parseJson = (body: Buffer): Record<string, unknown> => {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

const forward = (
  upstreamPort: number,
  request: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> =>
  new Promise((resolve, reject) => {
    const upstream = httpRequest(
      {
        host: LOOPBACK,
        port: upstreamPort,
        method: request.method,
        path: request.url,
        headers: { ...request.headers, 'content-length': String(body.length) },
      },
      (response) => {
        readBody(response).then(
          (payload) =>
            resolve({
              status: response.statusCode ?? 502,
              headers: response.headers,
              body: payload,
            }),
          reject,
        );
      },
    );
    upstream.on('error', reject);
    upstream.end(body);
  });

export class FaultInjector {
  private readonly proxies = new Map<FaultService, Proxy>();
  private armed: Armed[] = [];
  private readonly log: CallRecord[] = [];
  private injectedCount = 0;

  private constructor() {}

  /** Starts one proxy per stand-in; `upstreams` are the stand-ins' ports. */
  static async start(upstreams: Record<FaultService, number>): Promise<FaultInjector> {
    const injector = new FaultInjector();
    for (const [service, upstreamPort] of Object.entries(upstreams) as [FaultService, number][]) {
      const sockets = new Set<Socket>();
      const proxy: Proxy = {
        service,
        upstreamPort,
        sockets,
        port: 0,
        accepting: true,
        server: createServer((request, response) => {
          injector.handle(proxy, request, response).catch(() => {
            response.socket?.destroy();
          });
        }),
      };
      proxy.server.on('connection', (socket: Socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      proxy.port = await listen(proxy.server, 0);
      injector.proxies.set(service, proxy);
    }
    return injector;
  }

  /** The endpoint the handlers use for `service`. */
  url(service: FaultService): string {
    return `http://${LOOPBACK}:${this.proxy(service).port}`;
  }

  /** Arms a fault; it applies to the next `times` matching calls. */
  inject(rule: FaultRule): ArmedFault {
    const armed: Armed = { rule, times: rule.times ?? 1, hits: 0, disarmed: false };
    this.armed.push(armed);
    return {
      get hits() {
        return armed.hits;
      },
      get spent() {
        return armed.hits >= armed.times;
      },
      disarm: () => {
        armed.disarmed = true;
      },
    };
  }

  /**
   * The endpoint goes down: its listener closes (new connections are refused with
   * ECONNREFUSED) and open keep-alive connections are cut. `acceptConnections` brings it back
   * on the same port, as a restarted process would.
   */
  async refuseConnections(service: FaultService): Promise<void> {
    const proxy = this.proxy(service);
    if (!proxy.accepting) return;
    proxy.accepting = false;
    for (const socket of proxy.sockets) socket.destroy();
    await close(proxy.server);
  }

  async acceptConnections(service: FaultService): Promise<void> {
    const proxy = this.proxy(service);
    if (proxy.accepting) return;
    await listen(proxy.server, proxy.port);
    proxy.accepting = true;
  }

  /** Every call that reached a proxy, in order, with what was done to it. */
  calls(service?: FaultService, operation?: string): readonly CallRecord[] {
    return this.log.filter(
      (call) =>
        (service === undefined || call.service === service) &&
        (operation === undefined || call.operation === operation),
    );
  }

  /** How many faults were injected since the stack started (connection refusals not counted). */
  get injected(): number {
    return this.injectedCount;
  }

  /** Disarms every fault and brings every endpoint back. */
  async reset(): Promise<void> {
    this.armed = [];
    for (const service of this.proxies.keys()) await this.acceptConnections(service);
  }

  async stop(): Promise<void> {
    this.armed = [];
    await Promise.all(
      [...this.proxies.values()].filter((proxy) => proxy.accepting).map((p) => close(p.server)),
    );
  }

  private proxy(service: FaultService): Proxy {
    const proxy = this.proxies.get(service);
    if (!proxy) throw new Error(`No fault proxy for ${service}`);
    return proxy;
  }

  private take(service: FaultService, operation: string, body: Record<string, unknown>) {
    const armed = this.armed.find(
      (candidate) =>
        !candidate.disarmed &&
        candidate.hits < candidate.times &&
        candidate.rule.service === service &&
        (candidate.rule.operation === undefined || candidate.rule.operation === operation) &&
        (candidate.rule.when === undefined || candidate.rule.when(body)),
    );
    if (!armed) return undefined;
    armed.hits += 1;
    this.injectedCount += 1;
    return armed.rule.action;
  }

  private async handle(proxy: Proxy, request: IncomingMessage, response: ServerResponse) {
    const body = await readBody(request);
    const json = parseJson(body);
    const operation = operationOf(proxy.service, request);
    const action = this.take(proxy.service, operation, json);
    this.log.push({
      service: proxy.service,
      operation,
      body: json,
      outcome: action?.kind ?? 'forwarded',
    });
    if (action?.kind === 'error') {
      const reply = errorReply(proxy.service, action);
      response.writeHead(reply.status, reply.headers).end(reply.body);
      return;
    }
    if (action?.kind === 'drop') {
      request.socket.destroy();
      return;
    }
    if (action?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, action.ms));
    const reply = await forward(proxy.upstreamPort, request, body);
    if (action?.kind === 'lose-reply') {
      request.socket.destroy();
      return;
    }
    const headers = { ...reply.headers };
    delete headers['transfer-encoding'];
    headers['content-length'] = String(reply.body.length);
    response.writeHead(reply.status, headers).end(reply.body);
  }
}
