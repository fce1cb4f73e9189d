import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { Auth, onlyEntryTriggeredBy, routeTable, type ServedRoute } from '../functions/catalog.ts';
import { jsonSecurityHeaders } from '../functions/http/security-headers.ts';
import { invokeHandler } from './lambda-registry.ts';

/** API Gateway refuses bodies over 10 MB before any Lambda runs. */
const GATEWAY_BODY_LIMIT = 10 * 1024 * 1024;
/** API Gateway caches an authorizer's Allow per Authorization header (our stack: 300 s). */
const AUTHORIZER_CACHE_MS = 300_000;
/** What the local API and its one stage are called (the methodArn and the cache flush name them). */
export const LOCAL_REST_API_ID = 'local';
export const LOCAL_STAGE_NAME = 'local';

interface CompiledRoute extends ServedRoute {
  readonly pattern: RegExp;
  readonly parameterNames: readonly string[];
}

const compile = (route: ServedRoute): CompiledRoute => {
  const parameterNames: string[] = [];
  const source = route.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    parameterNames.push(name);
    return '([^/]+)';
  });
  return { ...route, pattern: new RegExp(`^${source}$`), parameterNames };
};

const compiledRoutes = routeTable().map(compile);
const authorizerModule = onlyEntryTriggeredBy('authorizer').module;

const gatewayProblem = (status: number, title: string, detail: string, requestId: string) => ({
  statusCode: status,
  headers: {
    'Content-Type': 'application/problem+json',
    'Cache-Control': 'no-store',
    ...jsonSecurityHeaders,
  },
  body: JSON.stringify({
    type: `urn:smart-account-requests:problem:gateway-${status}`,
    title,
    status,
    detail,
    errorId: requestId,
  }),
});

const readBody = (request: IncomingMessage): Promise<Buffer | 'too-large'> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= GATEWAY_BODY_LIMIT) chunks.push(chunk);
    });
    request.on('end', () =>
      resolve(size > GATEWAY_BODY_LIMIT ? 'too-large' : Buffer.concat(chunks)),
    );
    request.on('error', reject);
  });

const singleValueHeaders = (request: IncomingMessage): Record<string, string> => {
  const headers: Record<string, string> = {};
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    headers[request.rawHeaders[i] as string] = request.rawHeaders[i + 1] as string;
  }
  return headers;
};

/** Every Authorization header of the request, whatever its case. */
const authorizationHeaders = (request: IncomingMessage): string[] => {
  const values: string[] = [];
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    if ((request.rawHeaders[i] as string).toLowerCase() === 'authorization') {
      values.push(request.rawHeaders[i + 1] as string);
    }
  }
  return values;
};

export interface LocalApiGateway {
  readonly server: Server;
  /**
   * API Gateway's management API, as much of it as the handlers call: FlushStageAuthorizersCache
   * (the revoke of an API key), which the real @aws-sdk/client-api-gateway sends here when
   * AWS_ENDPOINT_URL_API_GATEWAY points at it. Its own port, so no API client can reach it.
   */
  readonly management: Server;
  /** Every route can serve (table created, partners seeded): until then 503, never a 401. */
  ready(): void;
  /** Stops accepting and resolves once the requests in flight are answered. */
  drain(): Promise<void>;
}

/**
 * The REST API as API Gateway would run it: routes from functions/catalog.ts, proxy events,
 * the REQUEST authorizer on partner routes (with its cache), and problem+json gateway
 * responses for 401/404/405/413.
 */
export const createApiGateway = (
  /** Routes of the local stack itself (`GET /_local/events`), answered as JSON, no auth. */
  localRoutes: Readonly<Record<string, () => unknown>> = {},
): LocalApiGateway => {
  const authorizerCache = new Map<string, { context: Record<string, string>; until: number }>();
  /**
   * Counts the flushes: an answer the authorizer gave for a check that began before a flush is
   * not cached, so a request racing a revoke cannot put its Allow back into the emptied cache.
   */
  let flushes = 0;

  let isReady = false;
  let draining = false;

  const authorize = async (
    authorization: string,
    headers: Record<string, string>,
    method: string,
    path: string,
  ): Promise<Record<string, string> | undefined> => {
    const cached = authorizerCache.get(authorization);
    if (cached && cached.until > Date.now()) return cached.context;
    const flushesBefore = flushes;
    try {
      // The authorizer sees the one header the cache is keyed on, under its usual name.
      const withoutAuthorization = Object.fromEntries(
        Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'),
      );
      const result = (await invokeHandler(authorizerModule, {
        type: 'REQUEST',
        methodArn: `arn:aws:execute-api:us-east-1:000000000000:${LOCAL_REST_API_ID}/${LOCAL_STAGE_NAME}/${method}${path}`,
        headers: { ...withoutAuthorization, Authorization: authorization },
      })) as { principalId: string; context: Record<string, string> };
      const context = { ...result.context, principalId: result.principalId };
      if (authorization && flushes === flushesBefore)
        authorizerCache.set(authorization, { context, until: Date.now() + AUTHORIZER_CACHE_MS });
      return context;
    } catch {
      return undefined;
    }
  };

  const handle = async (request: IncomingMessage): Promise<APIGatewayProxyResult> => {
    const requestId = randomUUID();
    // Not ready yet (or stopping): nothing is asked of the handlers, and nothing is cached, so
    // a client that retries after the 503 finds every route serving.
    if (!isReady || draining) {
      return {
        ...gatewayProblem(
          503,
          'Service unavailable',
          isReady ? 'The local stack is stopping.' : 'The local stack is starting.',
          requestId,
        ),
        headers: {
          'Content-Type': 'application/problem+json',
          'Cache-Control': 'no-store',
          'Retry-After': '1',
        },
      };
    }
    const url = new URL(request.url ?? '/', 'http://local');
    const method = request.method ?? 'GET';
    const local = localRoutes[`${method} ${url.pathname}`];
    if (local) {
      return {
        statusCode: 200,
        headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
        body: JSON.stringify(local()),
      };
    }
    // As API Gateway: a literal path segment beats a variable one (`/counts` is not an
    // `{id}`), and the method is looked up on that resource only.
    const candidates = compiledRoutes.filter((route) => route.pattern.test(url.pathname));
    const fewest = Math.min(...candidates.map((route) => route.parameterNames.length));
    const pathMatches = candidates.filter((route) => route.parameterNames.length === fewest);
    const route = pathMatches.find((candidate) => candidate.method === method);
    if (!route) {
      return pathMatches.length > 0
        ? gatewayProblem(405, 'Method not allowed', `${method} is not supported here.`, requestId)
        : gatewayProblem(404, 'Not found', 'No such resource.', requestId);
    }
    const body = await readBody(request);
    if (body === 'too-large') {
      return gatewayProblem(413, 'Payload too large', 'The body exceeds 10 MB.', requestId);
    }
    const headers = singleValueHeaders(request);
    let authorizer: Record<string, string> | undefined;
    if (route.auth === Auth.PARTNER) {
      const authorizations = authorizationHeaders(request);
      // Two Authorization headers name no single key: refused, never cached.
      authorizer =
        authorizations.length === 1
          ? await authorize(authorizations[0] as string, headers, method, url.pathname)
          : undefined;
      if (!authorizer) {
        return {
          ...gatewayProblem(
            401,
            'Unauthorized',
            'Send a valid partner API key as "Authorization: Bearer <key>".',
            requestId,
          ),
          headers: {
            'Content-Type': 'application/problem+json',
            'Cache-Control': 'no-store',
            ...jsonSecurityHeaders,
            'WWW-Authenticate': 'Bearer',
          },
        };
      }
    }
    const match = route.pattern.exec(url.pathname) as RegExpExecArray;
    let pathParameters: Record<string, string>;
    try {
      pathParameters = Object.fromEntries(
        route.parameterNames.map((name, index) => [
          name,
          decodeURIComponent(match[index + 1] as string),
        ]),
      );
    } catch {
      // A malformed percent-escape (`%zz`, an encoded lone surrogate) is the client's error.
      return gatewayProblem(400, 'Bad request', 'The path is not validly encoded.', requestId);
    }
    const query = [...url.searchParams.entries()];
    const event: APIGatewayProxyEvent = {
      resource: route.path,
      path: url.pathname,
      httpMethod: method,
      headers,
      multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      queryStringParameters: query.length ? Object.fromEntries(query) : null,
      // A Map, so names like `toString` or `__proto__` are plain names, not Object.prototype's.
      multiValueQueryStringParameters: query.length
        ? Object.fromEntries(
            query.reduce(
              (all, [k, v]) => all.set(k, [...(all.get(k) ?? []), v]),
              new Map<string, string[]>(),
            ),
          )
        : null,
      pathParameters: route.parameterNames.length ? pathParameters : null,
      stageVariables: null,
      body: body.length ? body.toString('utf8') : null,
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        authorizer: authorizer ?? null,
        protocol: 'HTTP/1.1',
        httpMethod: method,
        identity: {
          sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
          userAgent: headers['User-Agent'] ?? headers['user-agent'] ?? null,
        } as APIGatewayProxyEvent['requestContext']['identity'],
        path: url.pathname,
        stage: 'local',
        requestId,
        requestTimeEpoch: Date.now(),
        resourceId: route.path,
        resourcePath: route.path,
      },
    };
    try {
      return (await invokeHandler(route.module, event)) as APIGatewayProxyResult;
    } catch (error) {
      console.error(`[api] ${route.module} crashed`, error);
      return gatewayProblem(502, 'Bad gateway', 'The function failed.', requestId);
    }
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    handle(request)
      .then((result) => {
        const headers: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(result.headers ?? {}))
          headers[name] = String(value);
        for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
          headers[name] = values.map(String);
        }
        response.writeHead(result.statusCode, headers);
        const body = Buffer.from(result.body ?? '', result.isBase64Encoded ? 'base64' : 'utf8');
        response.end(request.method === 'HEAD' ? undefined : body);
      })
      .catch((error: unknown) => {
        console.error('[api] gateway error', error);
        response.writeHead(500).end();
      });
  });
  const flushPath = `/restapis/${LOCAL_REST_API_ID}/stages/${LOCAL_STAGE_NAME}/cache/authorizers`;
  const management = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    const answer = (status: number, headers: Record<string, string> = {}, body?: unknown) => {
      response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      response.end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (request.method === 'DELETE' && request.url === flushPath) {
      // As API Gateway's flush: every cached answer of the stage goes, each key is authorized
      // again on its next request. 202 with no body, as the SDK expects.
      flushes += 1;
      authorizerCache.clear();
      answer(202);
      return;
    }
    answer(
      404,
      { 'x-amzn-ErrorType': 'NotFoundException' },
      { message: `No local management route ${request.method} ${request.url}` },
    );
  });

  return {
    server,
    management,
    ready: () => {
      isReady = true;
    },
    drain: () =>
      new Promise<void>((resolve) => {
        draining = true;
        // No new connections; each open one closes once idle, so a request in flight is
        // answered first (its writes done) and the keep-alive sockets do not hold us up.
        const idle = setInterval(() => server.closeIdleConnections(), 20);
        server.close(() => {
          clearInterval(idle);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
};
