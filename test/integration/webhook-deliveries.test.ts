import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close } from '../../local/listen.ts';
import type { RunningStack } from '../../local/stack.ts';
import { createPending, decide } from '../support/customer.ts';
import {
  type PartnerClient,
  partnerClient,
  startTestStack,
  waitFor,
} from '../support/local-stack.ts';

/**
 * Deliveries end to end on the local stack: the same ASL, the real handlers, receivers on this
 * machine (WEBHOOK_ALLOW_LOCAL, set by the local stack), and a short retry schedule.
 */

interface Received {
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly at: number;
}

/** A receiver on 127.0.0.1 that answers with `answer()` and keeps what it got. */
const receiver = async (answer: () => number | 'hang' = () => 204) => {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        headers: Object.fromEntries(
          Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
        ),
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      });
      const status = answer();
      if (status === 'hang') return;
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, received, server };
};

let stack: RunningStack;
const servers: Server[] = [];

beforeAll(async () => {
  stack = await startTestStack({ webhookRetrySeconds: [1, 1, 2, 2] });
});

afterAll(async () => {
  await stack?.stop();
  await Promise.all(servers.map((server) => close(server)));
});

/** A partner of its own per test (the local stack seeds the keys it is given). */
const partnerWithEndpoint = async (
  key: string,
  url: string,
  events?: string[],
): Promise<{ partner: PartnerClient; endpointId: string; secret: string }> => {
  const partner = partnerClient(stack, key);
  const added = await partner.call('POST', '/v1/webhook-endpoints', {
    body: { url, ...(events ? { events } : {}) },
  });
  expect(added.status).toBe(201);
  return { partner, endpointId: added.body.id, secret: added.body.secret };
};

const deliveriesOf = async (partner: PartnerClient, endpointId: string) =>
  (await partner.call('GET', `/v1/webhook-endpoints/${endpointId}/deliveries?limit=100`)).body
    .items as {
    eventId: string;
    type: string;
    status: string;
    attempts: number;
    lastStatusCode: number | null;
  }[];

describe('webhook deliveries', () => {
  it('delivers every change, signed so a Standard Webhooks receiver accepts each one', async () => {
    const hook = await receiver();
    servers.push(hook.server);
    const { partner, endpointId, secret } = await partnerWithEndpoint(
      stack.partnerKeys[0] as string,
      hook.url,
    );
    const request = await createPending(stack, partner);
    await decide(request, 'activate');

    const bodies = await waitFor(
      async () => {
        const forRequest = hook.received.filter((item) => item.body.includes(request.id));
        return forRequest.length >= 2 && forRequest;
      },
      'two deliveries',
      15_000,
    );
    const verifier = new Webhook(secret);
    const events = bodies.map((item) => verifier.verify(item.body, item.headers)) as {
      id: string;
      type: string;
      data: { status: string };
    }[];
    expect(events.map((event) => event.type)).toEqual([
      'smart_account_request.created',
      'smart_account_request.activated',
    ]);
    for (const [index, item] of bodies.entries()) {
      expect(item.headers['webhook-id']).toBe(events[index]?.id);
      expect(item.headers['content-type']).toBe('application/json');
    }
    expect(events[1]?.data.status).toBe('ACTIVE');
    await waitFor(
      async () =>
        (await deliveriesOf(partner, endpointId)).filter((d) => d.status === 'succeeded').length >=
        2,
      'the delivery log to say succeeded',
    );
    expect((await deliveriesOf(partner, endpointId))[0]).toMatchObject({
      type: 'smart_account_request.activated',
      status: 'succeeded',
      attempts: 1,
      lastStatusCode: 204,
    });
  });

  it('loses nothing while a receiver is down for the first attempts, and then comes back', async () => {
    let down = true;
    const hook = await receiver(() => (down ? 503 : 200));
    servers.push(hook.server);
    const { partner, endpointId, secret } = await partnerWithEndpoint(
      stack.partnerKeys[1] as string,
      hook.url,
      ['smart_account_request.created'],
    );
    const request = await createPending(stack, partner);
    await waitFor(async () => hook.received.length >= 3 && true, 'three failed attempts', 15_000);
    const [log] = await deliveriesOf(partner, endpointId);
    expect(log).toMatchObject({ status: 'pending', lastStatusCode: 503 });
    down = false;

    await waitFor(
      async () => (await deliveriesOf(partner, endpointId))[0]?.status === 'succeeded',
      'the delivery to succeed once the receiver is back',
      15_000,
    );
    const [delivered] = await deliveriesOf(partner, endpointId);
    expect(delivered?.attempts).toBeGreaterThanOrEqual(4);
    expect(delivered?.lastStatusCode).toBe(200);
    // Every attempt carried the same event id, so the receiver dedupes them into one.
    const ids = new Set(hook.received.map((item) => item.headers['webhook-id']));
    expect(ids.size).toBe(1);
    expect(
      new Webhook(secret).verify(
        hook.received.at(-1)?.body ?? '',
        hook.received.at(-1)?.headers ?? {},
      ),
    ).toMatchObject({ data: { id: request.id } });
    await partner.cancel(request.id);
  });

  it('marks a delivery failed after the last retry, and a slow endpoint delays neither another nor the request', async () => {
    const failing = await receiver(() => 500);
    const slow = await receiver(() => 'hang');
    const healthy = await receiver();
    servers.push(failing.server, slow.server, healthy.server);
    const key = stack.partnerKeys[0] as string;
    const created = ['smart_account_request.created'];
    const toFailing = await partnerWithEndpoint(key, failing.url, created);
    await partnerWithEndpoint(key, slow.url, created);
    await partnerWithEndpoint(key, healthy.url, created);
    const { partner } = toFailing;

    const started = Date.now();
    const request = await createPending(stack, partner);
    const delivered = await waitFor(
      async () => healthy.received.find((item) => item.body.includes(request.id)),
      'the healthy endpoint',
    );
    // The slow endpoint holds its attempt open for 10 s; the healthy one is not behind it.
    expect(delivered.at - started).toBeLessThan(3_000);
    expect((await decide(request, 'activate')).status).toBe(200);

    const failed = await waitFor(
      async () => {
        const log = await deliveriesOf(partner, toFailing.endpointId);
        const entry = log.find((item) => item.type === 'smart_account_request.created');
        return entry?.status === 'failed' && entry;
      },
      'the failing delivery to give up',
      20_000,
    );
    // The first attempt and one per delay of the schedule.
    expect(failed).toMatchObject({ attempts: 5, lastStatusCode: 500 });
  });
});
