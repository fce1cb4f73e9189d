import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, LOOPBACK, listen } from '../../local/listen.ts';
import type { RunningStack } from '../../local/stack.ts';
import {
  type ApiResponse,
  type PartnerClient,
  partnerClient,
  startTestStack,
  waitFor,
} from '../support/local-stack.ts';

/**
 * The partner's webhook endpoints on the local stack, through the real HTTP API: add, list,
 * rotate, delete, the limit, isolation between partners, bad input, and a test event that a
 * receiver built on the reference implementation (standardwebhooks) accepts.
 */

interface Received {
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** A receiver on this machine; `npm start` allows http:// and loopback for exactly this. */
class Receiver {
  readonly received: Received[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer(async (request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      this.received.push({
        headers: Object.fromEntries(
          Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
        ),
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response.writeHead(204).end();
    });
    const port = await listen(this.server, 0);
    this.url = `http://${LOOPBACK}:${port}/hooks`;
  }

  async stop(): Promise<void> {
    if (this.server) await close(this.server);
  }
}

let stack: RunningStack;
let partner: PartnerClient;
let otherPartner: PartnerClient;
const receiver = new Receiver();

beforeAll(async () => {
  await receiver.start();
  stack = await startTestStack();
  partner = partnerClient(stack, stack.partnerKeys[0]);
  otherPartner = partnerClient(stack, stack.partnerKeys[1]);
});

afterAll(async () => {
  await stack?.stop();
  await receiver.stop();
});

const ENDPOINTS = '/v1/webhook-endpoints';

const add = (client: PartnerClient, body: unknown = { url: receiver.url }) =>
  client.call('POST', ENDPOINTS, { body });
const list = (client: PartnerClient) => client.call('GET', ENDPOINTS);
const remove = (client: PartnerClient, id: string) => client.call('DELETE', `${ENDPOINTS}/${id}`);
const rotate = (client: PartnerClient, id: string) =>
  client.call('POST', `${ENDPOINTS}/${id}/rotate-secret`);
const sendTest = (client: PartnerClient, id: string) =>
  client.call('POST', `${ENDPOINTS}/${id}/test`);
const deliveriesOf = (client: PartnerClient, id: string, query = '') =>
  client.call('GET', `${ENDPOINTS}/${id}/deliveries${query}`);
const redeliver = (client: PartnerClient, id: string, eventId: string) =>
  client.call('POST', `${ENDPOINTS}/${id}/deliveries/${eventId}/redeliver`);

const expectProblem = (response: ApiResponse, status: number) => {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.body).toMatchObject({ status, errorId: expect.any(String) });
};

/** Deletes every endpoint the partner has, so a case starts from none (the limit is per partner). */
const removeAll = async (client: PartnerClient) => {
  for (const endpoint of (await list(client)).body.items) await remove(client, endpoint.id);
};

describe('webhook endpoints on the local stack', () => {
  it('adds an endpoint and shows its secret once: never in the list, a new one after a rotation', async () => {
    await removeAll(partner);
    const added = await add(partner, {
      url: receiver.url,
      events: ['smart_account_request.activated'],
      description: 'CRM sync',
    });

    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      id: expect.stringMatching(/^whe_/),
      url: receiver.url,
      events: ['smart_account_request.activated'],
      description: 'CRM sync',
      createdAt: expect.any(String),
      secret: expect.stringMatching(/^whsec_/),
    });
    const { secret, ...shown } = added.body;
    const listed = await list(partner);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ items: [shown] });
    expect(listed.text).not.toContain('whsec_');

    const rotated = await rotate(partner, shown.id);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toEqual({ ...shown, secret: expect.stringMatching(/^whsec_/) });
    expect(rotated.body.secret).not.toBe(secret);
    expect((await list(partner)).text).not.toContain('whsec_');

    expect((await remove(partner, shown.id)).status).toBe(204);
    expect((await list(partner)).body).toEqual({ items: [] });
    expectProblem(await remove(partner, shown.id), 404);
    expectProblem(await rotate(partner, shown.id), 404);
  });

  it('keeps at most 10 endpoints per partner: the 11th is a 409, and one fits again after a delete', async () => {
    await removeAll(partner);
    const added: string[] = [];
    for (let i = 0; i < 10; i++) {
      const response = await add(partner, { url: `${receiver.url}/${i}` });
      expect(response.status).toBe(201);
      added.push(response.body.id);
    }

    const eleventh = await add(partner);

    expectProblem(eleventh, 409);
    expect(eleventh.body.detail).toMatch(/10 webhook endpoints/);
    expect((await list(partner)).body.items).toHaveLength(10);
    // The other partner's limit is its own.
    const theirs = await add(otherPartner);
    expect(theirs.status).toBe(201);
    await remove(otherPartner, theirs.body.id);

    await remove(partner, added[0] as string);
    expect((await add(partner)).status).toBe(201);
    await removeAll(partner);
  });

  it("answers 404 to every action on another partner's endpoint, and changes nothing of it", async () => {
    await removeAll(partner);
    const mine = (await add(partner)).body;
    const { secret: _secret, ...shown } = mine;
    const tested = await sendTest(partner, mine.id);
    expect(tested.status).toBe(202);
    const eventId = tested.body.eventId as string;

    expectProblem(await remove(otherPartner, mine.id), 404);
    expectProblem(await rotate(otherPartner, mine.id), 404);
    expectProblem(await sendTest(otherPartner, mine.id), 404);
    expectProblem(await deliveriesOf(otherPartner, mine.id), 404);
    expectProblem(await redeliver(otherPartner, mine.id, eventId), 404);
    expect((await list(otherPartner)).body.items).not.toContainEqual(
      expect.objectContaining({ id: mine.id }),
    );

    expect((await list(partner)).body).toEqual({ items: [shown] });
    const delivered = await deliveriesOf(partner, mine.id);
    expect(delivered.body.items).toEqual([expect.objectContaining({ eventId })]);
    await removeAll(partner);
  });

  it.each([
    ['a URL that is not http(s)', { url: 'ftp://example.com/hooks' }, 'url', /https?:\/\//],
    ['credentials in the URL', { url: 'https://user:pw@example.com/' }, 'url', /password/],
    ['a private address', { url: 'https://10.1.2.3/hooks' }, 'url', /private address/],
    [
      'the metadata service',
      { url: 'http://169.254.169.254/latest/meta-data' },
      'url',
      /link-local/,
    ],
    ['a unique-local address', { url: 'https://[fd00::1]/hooks' }, 'url', /unique-local/],
    [
      'an unknown event type',
      { url: 'https://example.com/hooks', events: ['smart_account_request.deleted'] },
      'events.0',
      /^Not an event type/,
    ],
    ['no URL', { events: ['smart_account_request.created'] }, 'url', /^Required/],
  ])('refuses %s with a field error and stores nothing', async (_name, body, path, message) => {
    await removeAll(partner);
    const response = await add(partner, body);

    expectProblem(response, 400);
    expect(response.body.errors).toEqual([{ path, message: expect.stringMatching(message) }]);
    expect((await list(partner)).body.items).toEqual([]);
  });

  it('answers 401 without a key and 400 for a deliveries cursor it did not make', async () => {
    expectProblem(await partnerClient(stack, undefined).call('GET', ENDPOINTS), 401);
    const mine = (await add(partner)).body;

    const response = await deliveriesOf(partner, mine.id, '?cursor=bm9wZQ');

    expectProblem(response, 400);
    expect(response.body.errors).toEqual([{ path: 'cursor', message: expect.any(String) }]);
    expectProblem(await deliveriesOf(partner, mine.id, '?limit=0'), 400);
    await removeAll(partner);
  });

  it('delivers a test event the reference receiver accepts, lists it as succeeded, and delivers it again on request', async () => {
    await removeAll(partner);
    const mine = (await add(partner)).body;
    const before = receiver.received.length;

    const tested = await sendTest(partner, mine.id);

    expect(tested.status).toBe(202);
    expect(tested.body).toMatchObject({ type: 'webhook.test', status: 'pending', attempts: 0 });
    const eventId = tested.body.eventId as string;
    const first = await waitFor(
      async () => receiver.received.slice(before).find((r) => r.headers['webhook-id'] === eventId),
      'the test event at the receiver',
    );
    const verified = new Webhook(mine.secret).verify(first.body, first.headers);
    expect(verified).toEqual({
      id: eventId,
      type: 'webhook.test',
      createdAt: expect.any(String),
      data: { endpointId: mine.id },
    });
    const succeeded = await waitFor(async () => {
      const page = await deliveriesOf(partner, mine.id);
      return page.body.items[0]?.status === 'succeeded' && page.body;
    }, 'the delivery to be listed as succeeded');
    expect(succeeded).toEqual({
      items: [
        {
          eventId,
          type: 'webhook.test',
          status: 'succeeded',
          attempts: 1,
          lastAttemptAt: expect.any(String),
          lastStatusCode: 204,
          nextAttemptAt: null,
        },
      ],
      nextCursor: null,
    });

    const again = await redeliver(partner, mine.id, eventId);

    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ eventId, status: 'pending', attempts: 0 });
    await waitFor(
      async () =>
        receiver.received.slice(before).filter((r) => r.headers['webhook-id'] === eventId)
          .length === 2,
      'the redelivery at the receiver',
    );
    expectProblem(await redeliver(partner, mine.id, `evt_${'0'.repeat(26)}`), 404);
    await removeAll(partner);
  });
});
