import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import {
  checkResolvedHost,
  type HostCheck,
  type LookupAll,
  webhookUrlProblem,
} from '../webhooks/address-check.ts';

/** The contract: a 2xx within 10 s is success. */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

/** What of a response is read before it is dropped: only the status counts. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export interface WebhookPostOptions {
  /** Bounds the whole call: resolving, connecting, sending and reading the answer. */
  readonly timeoutMs?: number;
  readonly allowLocal: boolean;
  readonly lookup?: LookupAll;
}

export interface WebhookPostResult {
  /** null when no status line arrived (refused address, network error, timeout). */
  readonly statusCode: number | null;
  readonly ok: boolean;
  readonly error?: string;
  readonly durationMs: number;
}

type Pinned = Extract<HostCheck, { ok: true }>;

/**
 * Node's connect asks this instead of DNS, so the socket goes to the address that was checked
 * and a second answer for the name (DNS rebinding) is never asked for. The URL's host name
 * still travels as Host and as TLS SNI, and the certificate is checked against it.
 */
const pinnedLookup =
  ({ address, family }: Pinned): LookupFunction =>
  (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };

class WebhookTimedOut extends Error {
  override readonly name = 'WebhookTimedOut';
}

/** Settles with what the abort carries once `signal` aborts (resolvers take no signal). */
const untilAborted = <T>(work: Promise<T>, signal: AbortSignal): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    if (signal.aborted) abort();
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });

/**
 * One POST; resolves with the status code. The answer's body is read up to MAX_RESPONSE_BYTES
 * (or until the deadline) and dropped: once the status line is in, a body that is huge, slow
 * or cut short changes nothing. Rejects only before a status arrived.
 */
const post = (
  target: URL,
  body: string,
  headers: Readonly<Record<string, string>>,
  pinned: Pinned,
  signal: AbortSignal,
): Promise<number> =>
  new Promise<number>((resolve, reject) => {
    let statusCode: number | undefined;
    const client = target.protocol === 'https:' ? https : http;
    const request = client.request(
      target,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'smart-account-requests-webhooks',
        },
        lookup: pinnedLookup(pinned),
        // A pooled socket would skip this call's check; node:http never follows redirects.
        agent: false,
        signal,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        statusCode = status;
        let received = 0;
        const done = () => {
          response.destroy();
          resolve(status);
        };
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received >= MAX_RESPONSE_BYTES) done();
        });
        response.on('end', done);
        response.on('error', done);
      },
    );
    request.on('error', (error) => {
      if (statusCode === undefined) reject(error);
      else resolve(statusCode);
    });
    request.end(body);
  });

const describe = (error: unknown, signal: AbortSignal): string => {
  if (signal.aborted && signal.reason instanceof WebhookTimedOut) return signal.reason.message;
  return error instanceof Error ? error.message : String(error);
};

/**
 * POSTs one webhook delivery. The URL and every address of its host are checked at each call
 * (a registered name may resolve elsewhere today) and the connection goes to the checked
 * address. ok = a 2xx; a 3xx is not followed and not ok. Never throws: a refusal, network
 * error or timeout comes back as `error` with statusCode null.
 */
export const postWebhook = async (
  url: string,
  body: string,
  headers: Readonly<Record<string, string>>,
  options: WebhookPostOptions,
): Promise<WebhookPostResult> => {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new WebhookTimedOut(`No answer within ${timeoutMs} ms.`)),
    timeoutMs,
  );
  const result = (outcome: Omit<WebhookPostResult, 'durationMs'>): WebhookPostResult => ({
    ...outcome,
    durationMs: Math.round(performance.now() - started),
  });
  try {
    const problem = webhookUrlProblem(url, options);
    if (problem) return result({ statusCode: null, ok: false, error: problem });
    const target = new URL(url);
    const checked = await untilAborted(
      checkResolvedHost(target.hostname, options),
      controller.signal,
    );
    if (!checked.ok) return result({ statusCode: null, ok: false, error: checked.problem });
    const statusCode = await post(target, body, headers, checked, controller.signal);
    return result({ statusCode, ok: statusCode >= 200 && statusCode < 300 });
  } catch (error) {
    return result({ statusCode: null, ok: false, error: describe(error, controller.signal) });
  } finally {
    clearTimeout(timer);
  }
};
