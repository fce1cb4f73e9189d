import { Webhook } from 'standardwebhooks';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RequestEvent } from '../../../functions/domain/events.ts';
import { toResource } from '../../../functions/domain/smart-account-request.ts';
import {
  DeliveryAttempts,
  type SendResult,
  webhookFanOut,
} from '../../../functions/domain/webhook-delivery.ts';
import { newDelivery, newEndpoint } from '../../../functions/domain/webhook-endpoints.ts';
import { newWebhookSecret, signWebhook } from '../../../functions/webhooks/signature.ts';
import { aRequest } from '../../support/in-memory-stores.ts';
import {
  InMemoryDeliveries,
  InMemoryWebhookEndpoints,
  RecordingStarter,
} from '../../support/in-memory-webhooks.ts';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const RETRIES = [5, 300];
const PARTNER = 'partner-1';

const event = (type: RequestEvent['type'], id = 'evt_1'): RequestEvent => ({
  id,
  type,
  createdAt: NOW.toISOString(),
  data: toResource(aRequest()),
});

let endpoints: InMemoryWebhookEndpoints;
let deliveries: InMemoryDeliveries;
let starter: RecordingStarter;
let sent: { url: string; body: string; headers: Record<string, string> }[];
let answers: SendResult[];

const addEndpoint = async (id: string, events: RequestEvent['type'][] | null = null) => {
  const endpoint = newEndpoint(
    PARTNER,
    { url: `https://${id}.example/hook`, events: events ?? undefined, description: null },
    { id, secret: newWebhookSecret(), now: NOW },
  );
  await endpoints.create(endpoint, 10);
  return endpoint;
};

const attempts = () =>
  new DeliveryAttempts(
    deliveries,
    endpoints,
    async (url, body, headers) => {
      sent.push({ url, body, headers: { ...headers } });
      return answers.shift() ?? { ok: true, statusCode: 204 };
    },
    signWebhook,
    RETRIES,
  );

beforeEach(() => {
  endpoints = new InMemoryWebhookEndpoints();
  deliveries = new InMemoryDeliveries();
  starter = new RecordingStarter();
  sent = [];
  answers = [];
});

describe('fanning an event out to webhook endpoints', () => {
  it("creates and starts one delivery per endpoint that takes the event's type", async () => {
    await addEndpoint('whe_all');
    await addEndpoint('whe_activations', ['smart_account_request.activated']);
    const fanOut = webhookFanOut(endpoints, deliveries, starter);

    await fanOut(event('smart_account_request.created'), PARTNER);

    expect(starter.started).toEqual([{ endpointId: 'whe_all', eventId: 'evt_1' }]);
    const delivery = await deliveries.get('whe_all', 'evt_1');
    expect(delivery).toMatchObject({
      status: 'pending',
      attempts: 0,
      type: 'smart_account_request.created',
    });
    expect(JSON.parse(delivery?.payload ?? '')).toEqual(event('smart_account_request.created'));
    expect(await deliveries.get('whe_activations', 'evt_1')).toBeUndefined();
  });

  it('repeats harmlessly after a crash: the delivery stays one, and it is started again', async () => {
    await addEndpoint('whe_all');
    const fanOut = webhookFanOut(endpoints, deliveries, starter);
    await fanOut(event('smart_account_request.created'), PARTNER);
    await fanOut(event('smart_account_request.created'), PARTNER);
    expect(starter.started).toHaveLength(2);
    expect((await deliveries.list('whe_all', { limit: 10 })).items).toHaveLength(1);
  });
});

describe('attempting a delivery', () => {
  const stored = async (endpointId = 'whe_all') => {
    const endpoint = (await endpoints.get(PARTNER, endpointId)) ?? (await addEndpoint(endpointId));
    const created = event('smart_account_request.activated');
    await deliveries.create(newDelivery(endpoint, created, JSON.stringify(created)));
    return endpoint;
  };

  it('signs the POST so a Standard Webhooks receiver accepts it, and records the success', async () => {
    const endpoint = await stored();

    // Now: the receiver refuses timestamps more than 5 minutes off its clock.
    const plan = await attempts().attempt('whe_all', 'evt_1', new Date());

    expect(plan).toEqual({ done: true, waitSeconds: 0, outcome: 'succeeded' });
    const [post] = sent;
    expect(post?.url).toBe(endpoint.url);
    const verified = new Webhook(endpoint.secrets[0]?.secret ?? '').verify(
      post?.body ?? '',
      post?.headers ?? {},
    );
    expect(verified).toMatchObject({ id: 'evt_1', type: 'smart_account_request.activated' });
    expect(post?.headers['webhook-id']).toBe('evt_1');
    expect(await deliveries.get('whe_all', 'evt_1')).toMatchObject({
      status: 'succeeded',
      attempts: 1,
      lastStatusCode: 204,
      nextAttemptAt: null,
    });
  });

  it('retries after each delay of the schedule, then gives up as failed', async () => {
    await stored();
    answers = [
      { ok: false, statusCode: 500 },
      { ok: false, statusCode: null, error: 'timed out' },
      { ok: false, statusCode: 503 },
    ];
    const first = await attempts().attempt('whe_all', 'evt_1', NOW);
    expect(first).toEqual({ done: false, waitSeconds: 5, outcome: 'retrying' });
    expect(await deliveries.get('whe_all', 'evt_1')).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastStatusCode: 500,
      nextAttemptAt: '2026-12-01T10:00:05.000Z',
    });
    const second = await attempts().attempt(
      'whe_all',
      'evt_1',
      new Date('2026-12-01T10:00:05.000Z'),
    );
    expect(second).toMatchObject({ done: false, waitSeconds: 300 });
    const third = await attempts().attempt(
      'whe_all',
      'evt_1',
      new Date('2026-12-01T10:05:05.000Z'),
    );
    expect(third).toEqual({ done: true, waitSeconds: 0, outcome: 'failed' });
    expect(await deliveries.get('whe_all', 'evt_1')).toMatchObject({
      status: 'failed',
      attempts: 3,
      lastStatusCode: 503,
      nextAttemptAt: null,
    });
  });

  it('waits for the planned time when woken early, and stops for a delivery that is done', async () => {
    await stored();
    answers = [{ ok: false, statusCode: 500 }];
    await attempts().attempt('whe_all', 'evt_1', NOW);

    expect(await attempts().attempt('whe_all', 'evt_1', NOW)).toMatchObject({
      done: false,
      waitSeconds: 5,
    });
    expect(sent).toHaveLength(1);
    await attempts().attempt('whe_all', 'evt_1', new Date('2026-12-01T10:00:05.000Z'));
    expect(await attempts().attempt('whe_all', 'evt_1', NOW)).toMatchObject({ outcome: 'skipped' });
    expect(sent).toHaveLength(2);
  });

  it('delivers nothing more to an endpoint that was deleted', async () => {
    await stored();
    await endpoints.delete(PARTNER, 'whe_all');

    expect(await attempts().attempt('whe_all', 'evt_1', NOW)).toMatchObject({ outcome: 'failed' });
    expect(sent).toEqual([]);
  });

  it('goes on after its own write whose reply was lost (the retry found its own count)', async () => {
    await stored();
    answers = [{ ok: false, statusCode: 500 }];
    const lostReply = {
      get: (endpointId: string, eventId: string) => deliveries.get(endpointId, eventId),
      recordAttempt: async (...args: Parameters<InMemoryDeliveries['recordAttempt']>) => {
        await deliveries.recordAttempt(...args);
        return false;
      },
    };
    const plan = await new DeliveryAttempts(
      lostReply,
      endpoints,
      async () => answers.shift() ?? { ok: true, statusCode: 204 },
      signWebhook,
      RETRIES,
    ).attempt('whe_all', 'evt_1', NOW);

    expect(plan).toEqual({ done: false, waitSeconds: 5, outcome: 'retrying' });
  });
});
