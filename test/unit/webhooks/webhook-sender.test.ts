import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { postWebhook } from '../../../functions/adapters/webhook-sender.ts';
import type { LookupAll } from '../../../functions/webhooks/address-check.ts';
import { newWebhookSecret, signWebhook } from '../../../functions/webhooks/signature.ts';

/** Receivers on loopback only: nothing in this file leaves the machine. */
interface Received {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const listening = async <T extends net.Server>(server: T, host = '127.0.0.1', port = 0) => {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        (server as net.Server & { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  );
  return (server.address() as AddressInfo).port;
};

type Answer = (request: http.IncomingMessage, response: http.ServerResponse) => void;

/** An http receiver that records each request (once its body is in) and answers with `answer`. */
const receiver = async (answer: Answer, host = '127.0.0.1', port = 0) => {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const { method, url, headers } = request;
      received.push({ method, url, headers, body: Buffer.concat(chunks).toString('utf8') });
      answer(request, response);
    });
  });
  return { received, port: await listening(server, host, port), server };
};

const status =
  (code: number, headers: http.OutgoingHttpHeaders = {}): Answer =>
  (_request, response) =>
    response.writeHead(code, headers).end();

/** A resolver that answers each call with the next list and never touches the network. */
const resolving = (...answers: string[][]) => {
  let call = 0;
  return vi.fn<LookupAll>(async () => {
    const addresses = answers[Math.min(call++, answers.length - 1)] ?? [];
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  });
};

/**
 * Two receivers on one port, as the checked address and the one DNS rebinds to (tried again
 * should another process hold the port on the second address).
 */
const receiversOnOnePort = async (first: string, second: string) => {
  for (let attempt = 1; ; attempt += 1) {
    const one = await receiver(status(200), first);
    try {
      return [one, await receiver(status(200), second, one.port)] as const;
    } catch (error) {
      if (attempt === 5) throw error;
    }
  }
};

const LOCAL = { allowLocal: true };
const EVENT = JSON.stringify({
  id: 'evt_01JDZ0000000000000000000',
  type: 'smart_account_request.activated',
  createdAt: '2026-12-01T10:00:00.000Z',
  data: { id: 'sar_01JDZ0000000000000000000', status: 'ACTIVE', accountName: 'Acme BV ✓' },
});

describe('posting a webhook', () => {
  it('delivers the signed event as JSON and is ok on a 2xx; a standardwebhooks receiver accepts it', async () => {
    const secret = newWebhookSecret();
    const verified: unknown[] = [];
    const { received, port } = await receiver((request, response) => {
      const last = received.at(-1) as Received;
      try {
        verified.push(
          new Webhook(secret).verify(last.body, request.headers as Record<string, string>),
        );
        response.writeHead(204).end();
      } catch {
        response.writeHead(400).end();
      }
    });
    const headers = signWebhook(
      [secret],
      'evt_01JDZ0000000000000000000',
      Math.floor(Date.now() / 1000),
      EVENT,
    );

    const result = await postWebhook(
      `http://127.0.0.1:${port}/hooks?src=sar`,
      EVENT,
      { ...headers },
      LOCAL,
    );

    expect(result).toMatchObject({ ok: true, statusCode: 204 });
    expect(result.error).toBeUndefined();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: 'POST', url: '/hooks?src=sar', body: EVENT });
    expect(received[0]?.headers['content-type']).toBe('application/json');
    expect(received[0]?.headers['webhook-id']).toBe('evt_01JDZ0000000000000000000');
    expect(verified).toEqual([JSON.parse(EVENT)]);
  });

  it('is not ok on a 500 and says which status came back', async () => {
    const { port } = await receiver(status(500));
    const result = await postWebhook(`http://127.0.0.1:${port}/`, EVENT, {}, LOCAL);
    expect(result).toMatchObject({ ok: false, statusCode: 500 });
  });

  it('does not follow a redirect: a 302 is not ok and its Location target receives nothing', async () => {
    const target = await receiver(status(200));
    const redirecting = await receiver(
      status(302, { location: `http://127.0.0.1:${target.port}/elsewhere` }),
    );
    const result = await postWebhook(`http://127.0.0.1:${redirecting.port}/`, EVENT, {}, LOCAL);
    expect(result).toMatchObject({ ok: false, statusCode: 302 });
    expect(redirecting.received).toHaveLength(1);
    expect(target.received).toHaveLength(0);
  });

  it('cuts off a receiver that never answers at timeoutMs', async () => {
    const { received, port } = await receiver(() => {});
    const result = await postWebhook(
      `http://127.0.0.1:${port}/`,
      EVENT,
      {},
      {
        ...LOCAL,
        timeoutMs: 300,
      },
    );
    expect(result).toMatchObject({
      ok: false,
      statusCode: null,
      error: 'No answer within 300 ms.',
    });
    expect(result.durationMs).toBeGreaterThanOrEqual(299);
    expect(result.durationMs).toBeLessThan(2_000);
    expect(received).toHaveLength(1);
  });

  it('counts the time spent resolving the host against timeoutMs', async () => {
    const lookup = vi.fn<LookupAll>(() => new Promise(() => {}));
    const result = await postWebhook(
      'http://hooks.partner.test/',
      EVENT,
      {},
      {
        ...LOCAL,
        lookup,
        timeoutMs: 300,
      },
    );
    expect(result).toMatchObject({
      ok: false,
      statusCode: null,
      error: 'No answer within 300 ms.',
    });
    expect(lookup).toHaveBeenCalledOnce();
  });

  it('waits 10 s by default', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const lookup = vi.fn<LookupAll>(() => new Promise(() => {}));
      let settled: unknown;
      void postWebhook('http://hooks.partner.test/', EVENT, {}, { ...LOCAL, lookup }).then(
        (result) => {
          settled = result;
        },
      );
      await vi.advanceTimersByTimeAsync(9_999);
      expect(settled).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      expect(settled).toMatchObject({ ok: false, error: 'No answer within 10000 ms.' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('reads a huge answer only so far and hangs up, keeping its status', async () => {
    let closed = false;
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const { port } = await receiver((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.on('close', () => {
        closed = true;
      });
      // An endless body: only hanging up ends it.
      const pump = () => {
        while (!response.destroyed && response.write(chunk)) {}
        if (!response.destroyed) response.once('drain', pump);
      };
      pump();
    });
    const result = await postWebhook(
      `http://127.0.0.1:${port}/`,
      EVENT,
      {},
      {
        ...LOCAL,
        timeoutMs: 5_000,
      },
    );
    expect(result).toMatchObject({ ok: true, statusCode: 200 });
    expect(result.durationMs).toBeLessThan(5_000);
    await vi.waitFor(() => expect(closed).toBe(true));
  });

  it('keeps the status of a 2xx whose body is still coming at the deadline', async () => {
    const { port } = await receiver((_request, response) => {
      response.writeHead(200);
      response.write('a body that never ends');
    });
    const result = await postWebhook(
      `http://127.0.0.1:${port}/`,
      EVENT,
      {},
      {
        ...LOCAL,
        timeoutMs: 300,
      },
    );
    expect(result).toMatchObject({ ok: true, statusCode: 200 });
  });

  it('returns a network error as text instead of throwing', async () => {
    const closed = net.createServer();
    const port = await listening(closed);
    await new Promise((resolve) => closed.close(resolve));
    const result = await postWebhook(`http://127.0.0.1:${port}/`, EVENT, {}, LOCAL);
    expect(result).toMatchObject({ ok: false, statusCode: null });
    expect(result.error).toMatch(/ECONNREFUSED/);
    await expect(postWebhook('not a url', EVENT, {}, LOCAL)).resolves.toMatchObject({
      ok: false,
      statusCode: null,
      error: 'Not a valid URL.',
    });
  });
});

describe('where a webhook connects', () => {
  it('connects to the address it checked, with the URL host as Host, however DNS answers later', async () => {
    const [checked, rebound] = await receiversOnOnePort('127.0.0.2', '127.0.0.1');
    const lookup = resolving(['127.0.0.2'], ['127.0.0.1']);

    const result = await postWebhook(
      `http://hooks.partner.test:${checked.port}/in`,
      EVENT,
      {},
      {
        ...LOCAL,
        lookup,
      },
    );

    expect(result).toMatchObject({ ok: true, statusCode: 200 });
    expect(lookup).toHaveBeenCalledOnce();
    expect(checked.received).toHaveLength(1);
    expect(checked.received[0]?.headers.host).toBe(`hooks.partner.test:${checked.port}`);
    expect(rebound.received).toHaveLength(0);
  });

  it('checks the host again at every call and refuses when it now resolves to a private address', async () => {
    const { received, port } = await receiver(status(200));
    const lookup = resolving(['127.0.0.1'], ['127.0.0.1', '10.0.0.1']);
    const url = `http://hooks.partner.test:${port}/`;

    await expect(postWebhook(url, EVENT, {}, { ...LOCAL, lookup })).resolves.toMatchObject({
      ok: true,
    });
    const second = await postWebhook(url, EVENT, {}, { ...LOCAL, lookup });

    expect(second).toMatchObject({ ok: false, statusCode: null });
    expect(second.error).toMatch(/resolves to 10\.0\.0\.1, a private address/);
    expect(lookup).toHaveBeenCalledTimes(2);
    expect(received).toHaveLength(1);
  });

  it('without allowLocal refuses a loopback receiver before any connection', async () => {
    let connections = 0;
    const port = await listening(
      net.createServer((socket) => {
        connections += 1;
        socket.destroy();
      }),
    );
    const strict = { allowLocal: false };

    const literal = await postWebhook(`https://127.0.0.1:${port}/`, EVENT, {}, strict);
    const named = await postWebhook(
      `https://hooks.partner.test:${port}/`,
      EVENT,
      {},
      {
        ...strict,
        lookup: resolving(['127.0.0.1']),
      },
    );
    const plain = await postWebhook(`http://127.0.0.1:${port}/`, EVENT, {}, strict);

    expect(literal).toMatchObject({ ok: false, statusCode: null });
    expect(literal.error).toMatch(/loopback/);
    expect(named.error).toMatch(/hooks\.partner\.test resolves to 127\.0\.0\.1, a loopback/);
    expect(plain.error).toBe('Use an https:// URL.');
    expect(connections).toBe(0);
  });

  const hasOpenssl = (() => {
    try {
      execFileSync('openssl', ['version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!hasOpenssl)(
    'speaks TLS to the checked address with the URL host as SNI, and refuses a certificate it cannot trust',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'webhook-tls-'));
      try {
        const keyFile = join(dir, 'key.pem');
        const certFile = join(dir, 'cert.pem');
        execFileSync(
          'openssl',
          [
            ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'],
            ...['-nodes', '-days', '1', '-subj', '/CN=hooks.partner.test'],
            ...['-addext', 'subjectAltName=DNS:hooks.partner.test'],
            ...['-keyout', keyFile, '-out', certFile],
          ],
          { stdio: 'ignore' },
        );
        const context = tls.createSecureContext({
          key: readFileSync(keyFile),
          cert: readFileSync(certFile),
        });
        const serverNames: string[] = [];
        let requests = 0;
        const server = https.createServer(
          {
            SNICallback: (serverName, done) => {
              serverNames.push(serverName);
              done(null, context);
            },
          },
          (_request, response) => {
            requests += 1;
            response.writeHead(200).end();
          },
        );
        const port = await listening(server);

        const result = await postWebhook(
          `https://hooks.partner.test:${port}/`,
          EVENT,
          {},
          {
            ...LOCAL,
            lookup: resolving(['127.0.0.1']),
          },
        );

        expect(result).toMatchObject({ ok: false, statusCode: null });
        expect(result.error).toMatch(/self-signed certificate/);
        expect(serverNames).toEqual(['hooks.partner.test']);
        expect(requests).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
