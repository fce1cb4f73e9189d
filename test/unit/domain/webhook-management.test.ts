import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_ENDPOINTS } from '../../../functions/domain/webhook-endpoints.ts';
import {
  type AddressCheck,
  addEndpoint,
  endpointDeliveries,
  redeliver,
  removeEndpoint,
  rotateSecret,
  sendTestEvent,
} from '../../../functions/domain/webhook-management.ts';
import type { WebhookEndpoint } from '../../../functions/domain/webhook-ports.ts';
import {
  DependencyUnavailable,
  EndpointLimitReached,
  NotFound,
  ValidationFailed,
} from '../../../functions/shared/errors.ts';
import {
  InMemoryDeliveries,
  InMemoryWebhookEndpoints,
  RecordingStarter,
} from '../../support/in-memory-webhooks.ts';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const PARTNER = 'partner-1';
const OTHER = 'partner-2';

let endpoints: InMemoryWebhookEndpoints;
let deliveries: InMemoryDeliveries;
let starter: RecordingStarter;
let secrets: number;
let checked: string[];
const acceptAll: AddressCheck = async (url) => {
  checked.push(url);
  return undefined;
};
const newSecret = () => `whsec_${++secrets}`;

beforeEach(() => {
  endpoints = new InMemoryWebhookEndpoints();
  deliveries = new InMemoryDeliveries();
  starter = new RecordingStarter();
  secrets = 0;
  checked = [];
});

const add = (partnerId = PARTNER, checkAddress = acceptAll) =>
  addEndpoint(
    { endpoints, checkAddress, newSecret },
    partnerId,
    { url: 'https://hooks.partner.example/in', description: null },
    NOW,
  );

describe('adding an endpoint', () => {
  it('stores it with a new secret, returned once, after checking its address', async () => {
    const { endpoint, secret } = await add();

    expect(secret).toBe('whsec_1');
    expect(checked).toEqual(['https://hooks.partner.example/in']);
    expect(endpoint.id).toMatch(/^whe_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(await endpoints.get(PARTNER, endpoint.id)).toEqual({
      ...endpoint,
      partnerId: PARTNER,
      events: null,
      secrets: [{ secret: 'whsec_1', createdAt: NOW.toISOString(), expiresAt: null }],
    });
  });

  it('refuses an address the check refuses, on the url field with its reason, storing nothing', async () => {
    const refuse: AddressCheck = async () => 'The host resolves to a private address (10.0.0.7).';

    const refused = add(PARTNER, refuse);

    await expect(refused).rejects.toThrow(ValidationFailed);
    await expect(refused).rejects.toMatchObject({
      errors: [{ path: 'url', message: 'The host resolves to a private address (10.0.0.7).' }],
    });
    expect(await endpoints.list(PARTNER)).toEqual([]);
  });

  it(`refuses the ${MAX_ENDPOINTS + 1}th endpoint of a partner, not another partner's first`, async () => {
    for (let i = 0; i < MAX_ENDPOINTS; i++) await add();

    await expect(add()).rejects.toThrow(EndpointLimitReached);
    expect(await endpoints.list(PARTNER)).toHaveLength(MAX_ENDPOINTS);
    await expect(add(OTHER)).resolves.toMatchObject({ endpoint: { partnerId: OTHER } });
  });
});

describe("another partner's endpoint", () => {
  let theirs: WebhookEndpoint;

  beforeEach(async () => {
    ({ endpoint: theirs } = await add(OTHER));
    await sendTestEvent({ endpoints, deliveries, starter }, OTHER, theirs.id, NOW);
  });

  it('is not found for every action, and nothing of it changes', async () => {
    const eventId = starter.started[0]?.eventId ?? '';
    const before = await endpoints.get(OTHER, theirs.id);
    const deps = { endpoints, deliveries, starter };

    await expect(removeEndpoint(endpoints, PARTNER, theirs.id)).rejects.toThrow(NotFound);
    await expect(rotateSecret(endpoints, PARTNER, theirs.id, 'whsec_x', NOW)).rejects.toThrow(
      NotFound,
    );
    await expect(sendTestEvent(deps, PARTNER, theirs.id, NOW)).rejects.toThrow(NotFound);
    await expect(endpointDeliveries(deps, PARTNER, theirs.id, { limit: 25 })).rejects.toThrow(
      NotFound,
    );
    await expect(redeliver(deps, PARTNER, theirs.id, eventId, NOW)).rejects.toThrow(NotFound);

    expect(await endpoints.get(OTHER, theirs.id)).toEqual(before);
    expect((await deliveries.get(theirs.id, eventId))?.redeliveries).toBe(0);
    expect(starter.started).toHaveLength(1);
  });
});

describe('rotating the secret', () => {
  it('makes a new current secret and keeps the old one signing for the overlap', async () => {
    const { endpoint } = await add();

    const rotated = await rotateSecret(endpoints, PARTNER, endpoint.id, 'whsec_new', NOW);

    expect(rotated.secrets.map((secret) => [secret.secret, secret.expiresAt])).toEqual([
      ['whsec_new', null],
      ['whsec_1', '2026-12-02T10:00:00.000Z'],
    ]);
    expect(await endpoints.get(PARTNER, endpoint.id)).toEqual(rotated);
  });

  it('keeps both secrets of two concurrent rotations valid', async () => {
    const { endpoint } = await add();

    await Promise.all([
      rotateSecret(endpoints, PARTNER, endpoint.id, 'whsec_a', NOW),
      rotateSecret(endpoints, PARTNER, endpoint.id, 'whsec_b', NOW),
    ]);

    const stored = await endpoints.get(PARTNER, endpoint.id);
    expect(stored?.secrets.map((secret) => secret.secret).sort()).toEqual([
      'whsec_1',
      'whsec_a',
      'whsec_b',
    ]);
  });

  it('recognises its own write when the reply was lost and the retried write found it done', async () => {
    const { endpoint } = await add();
    const store = endpoints;
    const rotate = store.rotate.bind(store);
    let lostReply = true;
    store.rotate = async (...args) => {
      const written = await rotate(...args);
      if (lostReply) {
        lostReply = false;
        return undefined;
      }
      return written;
    };

    const rotated = await rotateSecret(store, PARTNER, endpoint.id, 'whsec_new', NOW);

    expect(rotated.secrets[0]?.secret).toBe('whsec_new');
    expect(rotated.secrets).toHaveLength(2);
  });

  it('gives up with a retryable 503 when other rotations keep winning', async () => {
    const { endpoint } = await add();
    endpoints.rotate = async () => undefined;

    await expect(rotateSecret(endpoints, PARTNER, endpoint.id, 'whsec_new', NOW)).rejects.toThrow(
      DependencyUnavailable,
    );
  });
});

describe('test events and redeliveries', () => {
  it('stores a webhook.test delivery with the event as sent, and starts it', async () => {
    const { endpoint } = await add();

    const delivery = await sendTestEvent(
      { endpoints, deliveries, starter },
      PARTNER,
      endpoint.id,
      NOW,
    );

    expect(JSON.parse(delivery.payload)).toEqual({
      id: delivery.eventId,
      type: 'webhook.test',
      createdAt: NOW.toISOString(),
      data: { endpointId: endpoint.id },
    });
    expect(await deliveries.get(endpoint.id, delivery.eventId)).toEqual(delivery);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 0, partnerId: PARTNER });
    expect(starter.started).toEqual([{ endpointId: endpoint.id, eventId: delivery.eventId }]);
  });

  it('reopens a delivery and starts it under its redelivery number', async () => {
    const { endpoint } = await add();
    const deps = { endpoints, deliveries, starter };
    const { eventId } = await sendTestEvent(deps, PARTNER, endpoint.id, NOW);
    await deliveries.recordAttempt(endpoint.id, eventId, {
      attempts: 1,
      at: NOW.toISOString(),
      statusCode: 500,
      status: 'failed',
      nextAttemptAt: null,
    });
    const later = new Date(NOW.getTime() + 60_000);

    const first = await redeliver(deps, PARTNER, endpoint.id, eventId, later);
    const second = await redeliver(deps, PARTNER, endpoint.id, eventId, later);

    expect(first).toMatchObject({ status: 'pending', attempts: 0, redeliveries: 1 });
    expect(second.redeliveries).toBe(2);
    expect(starter.started.slice(1)).toEqual([
      { endpointId: endpoint.id, eventId, redelivery: 1 },
      { endpointId: endpoint.id, eventId, redelivery: 2 },
    ]);
  });

  it('answers 404 for an event this endpoint never had, and starts nothing', async () => {
    const { endpoint } = await add();

    await expect(
      redeliver({ endpoints, deliveries, starter }, PARTNER, endpoint.id, 'evt_none', NOW),
    ).rejects.toThrow(NotFound);
    expect(starter.started).toEqual([]);
  });

  it("lists only this endpoint's deliveries, newest first", async () => {
    const { endpoint } = await add();
    const { endpoint: other } = await add();
    const deps = { endpoints, deliveries, starter };
    const first = await sendTestEvent(deps, PARTNER, endpoint.id, NOW);
    await new Promise((resolve) => setTimeout(resolve, 2));
    const second = await sendTestEvent(deps, PARTNER, endpoint.id, NOW);
    await sendTestEvent(deps, PARTNER, other.id, NOW);

    const page = await endpointDeliveries(deps, PARTNER, endpoint.id, { limit: 25 });

    expect(page.items.map((delivery) => delivery.eventId)).toEqual([second.eventId, first.eventId]);
    expect(page.nextCursor).toBeNull();
  });
});

describe('removing an endpoint', () => {
  it('deletes it and frees its slot; a second delete is a 404', async () => {
    for (let i = 0; i < MAX_ENDPOINTS; i++) await add();
    const [first] = await endpoints.list(PARTNER);

    await removeEndpoint(endpoints, PARTNER, first?.id ?? '');

    await expect(removeEndpoint(endpoints, PARTNER, first?.id ?? '')).rejects.toThrow(NotFound);
    await expect(add()).resolves.toBeDefined();
  });
});
