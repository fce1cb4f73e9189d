import { Agent, request as httpRequest } from 'node:http';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { FaultInjector, FaultRule } from '../../local/faults.ts';
import type { RunningStack } from '../../local/stack.ts';
import { executionArnOf, sentMail } from '../support/local-stack.ts';

/** Helpers shared by the hardening tests: raw HTTP, table scans, captured output, mail and history. */

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

export interface RawRequest {
  readonly method: string;
  /** Sent as is: the caller encodes what must be encoded. */
  readonly path: string;
  readonly headers?: Record<string, string | string[]>;
  readonly body?: string | Buffer;
  /**
   * Loopback source address (127.x.y.z). The activation routes count misses per client
   * address, so fuzzing them from one address would only ever test the 429 page.
   */
  readonly localAddress?: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/**
 * One HTTP request through node:http rather than fetch: fetch normalizes paths and headers,
 * and the point here is to send exactly the odd bytes a hostile client would.
 */
export const rawRequest = (stack: RunningStack, raw: RawRequest): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    const url = new URL(stack.apiUrl);
    const body = raw.body === undefined ? undefined : Buffer.from(raw.body);
    const request = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: raw.method,
        path: raw.path,
        headers: {
          ...(body ? { 'Content-Length': String(body.length) } : {}),
          ...raw.headers,
        },
        ...(raw.localAddress ? { localAddress: raw.localAddress } : { agent }),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });

/** A loopback address of its own for the n-th simulated client (127.1.0.1, 127.1.0.2, ...). */
export const clientAddress = (n: number): string =>
  `127.${1 + Math.floor(n / 65_025)}.${Math.floor(n / 255) % 255}.${1 + (n % 255)}`;

// biome-ignore lint/suspicious/noExplicitAny: table items are read attribute by attribute
export type Item = Record<string, any>;

/** Every item in the table, read by the test directly from dynalite (functions never scan). */
export const scanTable = async (stack: RunningStack): Promise<Item[]> => {
  const client = new DynamoDBClient({ endpoint: stack.dynamoUrl });
  try {
    const items: Item[] = [];
    let startKey: Record<string, never> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({ TableName: stack.tableName, ExclusiveStartKey: startKey }),
      );
      items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
      startKey = page.LastEvaluatedKey as Record<string, never> | undefined;
    } while (startKey);
    return items;
  } finally {
    client.destroy();
  }
};

/**
 * The table and the mail store, for proving that a rejected call wrote nothing. The
 * activation routes' miss counters (`ATTEMPTS#…`) are left out: counting a miss is the one
 * write a rejected activation call is meant to make.
 */
export const storeSnapshot = async (stack: RunningStack) => {
  const items = (await scanTable(stack))
    .filter((item) => !String(item.PK).startsWith('ATTEMPTS#'))
    .map((item) =>
      JSON.stringify(item, (_key, value) => (value instanceof Set ? [...value].sort() : value)),
    )
    .sort();
  return { items, mails: (await sentMail(stack)).length };
};

export const requestItem = async (stack: RunningStack, id: string): Promise<Item | undefined> =>
  // The request's own item: its events share the partition (SK EVENT#…).
  (await scanTable(stack)).find((item) => item.PK === `REQUEST#${id}` && item.SK === 'REQUEST');

/** Captures everything written to stdout and stderr (Powertools writes there directly). */
export const captureOutput = () => {
  const lines: string[] = [];
  const originals = {
    stdout: process.stdout.write.bind(process.stdout),
    stderr: process.stderr.write.bind(process.stderr),
  };
  const tap =
    (original: typeof process.stdout.write) =>
    (chunk: unknown, ...rest: unknown[]): boolean => {
      lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());
      return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
    };
  process.stdout.write = tap(originals.stdout) as typeof process.stdout.write;
  process.stderr.write = tap(originals.stderr) as typeof process.stderr.write;
  return {
    text: () => lines.join(''),
    stop: () => {
      process.stdout.write = originals.stdout;
      process.stderr.write = originals.stderr;
    },
  };
};

export const isProblem = (response: RawResponse): boolean =>
  String(response.headers['content-type']).startsWith('application/problem+json');

export const isPage = (response: RawResponse): boolean =>
  String(response.headers['content-type']).startsWith('text/html') &&
  String(response.headers['content-security-policy']).includes("default-src 'none'");

const MAIL_KINDS: readonly [RegExp, string][] = [
  [/^Please activate|^Activeer/, 'activation'],
  [/^Smart Account activated|geactiveerd/, 'activated'],
  [/^You now have access|toegang/, 'access'],
  [/declined|geweigerd/, 'declined'],
  [/withdrawn|ingetrokken/, 'withdrawn'],
  [/expired|verlopen/, 'expired'],
  [/failed|mislukt/, 'failed'],
];

/** Every e-mail about the account `domain`, as sorted `recipient: kind` lines. */
export const mailsAbout = async (stack: RunningStack, domain: string): Promise<string[]> =>
  (await sentMail(stack))
    .filter((mail) => mail.subject.includes(domain))
    .flatMap((mail) =>
      mail.destination.to.map(
        (to) =>
          `${to}: ${MAIL_KINDS.find(([pattern]) => pattern.test(mail.subject))?.[1] ?? mail.subject}`,
      ),
    )
    .sort();

export const PARTNER_ONE = 'partner-1@local.example';

/** Names of the states an execution entered, in order. */
export const statesEntered = (stack: RunningStack, requestId: string): string[] =>
  stack.stepFunctions
    .getExecutionHistory({
      executionArn: executionArnOf(stack, requestId),
    })
    .events.filter((event) => event.type.endsWith('StateEntered'))
    .map((event) => event.stateEnteredEventDetails?.name ?? '');

/** Names of the executions the local Step Functions knows. */
export const executionNames = (stack: RunningStack): string[] =>
  stack.stepFunctions.listExecutions().executions.map((execution) => execution.name);

/** When the execution entered `state` (ms since the epoch), e.g. when its activation wait began. */
export const stateEnteredAt = (stack: RunningStack, requestId: string, state: string): number => {
  const event = stack.stepFunctions
    .getExecutionHistory({
      executionArn: executionArnOf(stack, requestId),
    })
    .events.find((candidate) => candidate.stateEnteredEventDetails?.name === state);
  if (!event) throw new Error(`${requestId} never entered ${state}`);
  return event.timestamp * 1000;
};

/**
 * Arms a fault on the Step Functions calls that signal this request's current wait (matched
 * by its task token, read from the table), so other requests' signals pass.
 */
export const faultSignalsOf = async (
  stack: RunningStack,
  faults: FaultInjector,
  requestId: string,
  rule: Pick<FaultRule, 'operation' | 'action' | 'times'>,
) => {
  const { taskToken } = (await requestItem(stack, requestId)) ?? {};
  if (typeof taskToken !== 'string') throw new Error(`${requestId} has no task token yet`);
  return faults.inject({
    service: 'sfn',
    ...rule,
    when: (body) => body.taskToken === taskToken,
  });
};
