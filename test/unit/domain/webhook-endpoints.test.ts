import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { webhookEventTypes } from '../../../functions/domain/events.ts';
import {
  DELIVERY_RETENTION_DAYS,
  deliveryExpiry,
  isSubscribed,
  MAX_SIGNING_SECRETS,
  newDelivery,
  newEndpoint,
  orphanReservations,
  RESERVATION_GRACE_SECONDS,
  ROTATION_OVERLAP_HOURS,
  rotatedSecrets,
  signingSecrets,
  testEvent,
  toDeliveryResource,
  toEndpointResource,
} from '../../../functions/domain/webhook-endpoints.ts';
import type { WebhookEndpoint } from '../../../functions/domain/webhook-ports.ts';
import {
  addEndpointInput,
  deliveryResource,
  listDeliveriesQuery,
  webhookEndpointResource,
} from '../../../functions/domain/webhook-schemas.ts';
import { fieldErrorsOf } from '../../../functions/http/problem.ts';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const hoursLater = (hours: number) => new Date(NOW.getTime() + hours * 3_600_000);

const endpoint = (overrides: Partial<WebhookEndpoint> = {}): WebhookEndpoint => ({
  id: 'whe_01JTESTENDPOINT0000000000',
  partnerId: 'partner-1',
  url: 'https://hooks.partner.example/in',
  events: null,
  description: null,
  createdAt: NOW.toISOString(),
  secrets: [{ secret: 'whsec_first', createdAt: NOW.toISOString(), expiresAt: null }],
  ...overrides,
});

const errorsFor = (input: unknown) => {
  const result = addEndpointInput.safeParse(input);
  return result.success ? [] : fieldErrorsOf(result.error);
};

describe('the add-endpoint input', () => {
  it('takes a URL alone as every event type, with no description', () => {
    expect(addEndpointInput.parse({ url: ' https://hooks.partner.example/in ' })).toEqual({
      url: 'https://hooks.partner.example/in',
      description: null,
    });
  });

  it('keeps a chosen list of event types and a trimmed description', () => {
    expect(
      addEndpointInput.parse({
        url: 'https://hooks.partner.example/in',
        events: ['smart_account_request.activated', 'smart_account_request.expired'],
        description: '  CRM sync  ',
      }),
    ).toEqual({
      url: 'https://hooks.partner.example/in',
      events: ['smart_account_request.activated', 'smart_account_request.expired'],
      description: 'CRM sync',
    });
  });

  it.each([
    [{}, 'url', 'Required.'],
    [{ url: '' }, 'url', 'Required: the https URL to deliver events to.'],
    [{ url: `https://a.example/${'x'.repeat(2048)}` }, 'url', 'At most 2048 characters.'],
    [{ url: 42 }, 'url', expect.any(String)],
    [{ url: 'https://a.example', events: [] }, 'events', expect.stringMatching(/at least one/)],
    [
      { url: 'https://a.example', events: ['smart_account_request.created', 'nope'] },
      'events.1',
      expect.stringMatching(/^Not an event type: one of smart_account_request\.created, /),
    ],
    [
      { url: 'https://a.example', events: ['webhook.test'] },
      'events.0',
      expect.stringMatching(/^Not an event type/),
    ],
    [
      {
        url: 'https://a.example',
        events: ['smart_account_request.created', 'smart_account_request.created'],
      },
      'events.1',
      'Listed more than once.',
    ],
    [
      { url: 'https://a.example', description: 'x'.repeat(201) },
      'description',
      'At most 200 characters.',
    ],
    [{ url: 'https://a.example', description: '\ud800' }, 'description', 'Not valid Unicode text.'],
    [{ url: 'https://a.example', secret: 'whsec_mine' }, 'secret', 'Unknown field.'],
  ])('refuses %j with an error on %s', (input, path, message) => {
    expect(errorsFor(input)).toEqual([{ path, message }]);
  });

  it('offers every request event type and nothing else', () => {
    for (const type of webhookEventTypes) {
      expect(errorsFor({ url: 'https://a.example', events: [type] })).toEqual([]);
    }
  });
});

describe('signing secrets', () => {
  it('signs with the current secret only, before any rotation', () => {
    expect(signingSecrets(endpoint(), NOW)).toEqual(['whsec_first']);
  });

  it('keeps the replaced secret signing for 24 hours after a rotation, then only the new one', () => {
    const rotated = rotatedSecrets(endpoint(), 'whsec_second', NOW);

    expect(rotated).toEqual([
      { secret: 'whsec_second', createdAt: NOW.toISOString(), expiresAt: null },
      {
        secret: 'whsec_first',
        createdAt: NOW.toISOString(),
        expiresAt: hoursLater(ROTATION_OVERLAP_HOURS).toISOString(),
      },
    ]);
    const signing = (at: Date) => signingSecrets({ secrets: rotated }, at);
    expect(signing(hoursLater(23.9))).toEqual(['whsec_second', 'whsec_first']);
    expect(signing(hoursLater(24))).toEqual(['whsec_second']);
  });

  it('keeps an older secret its own expiry when rotating again, and drops the expired', () => {
    const once = rotatedSecrets(endpoint(), 'whsec_second', NOW);
    const twice = rotatedSecrets({ secrets: once }, 'whsec_third', hoursLater(2));
    const later = rotatedSecrets({ secrets: twice }, 'whsec_fourth', hoursLater(30));

    expect(twice.map((secret) => [secret.secret, secret.expiresAt])).toEqual([
      ['whsec_third', null],
      ['whsec_second', hoursLater(26).toISOString()],
      ['whsec_first', hoursLater(24).toISOString()],
    ]);
    expect(later.map((secret) => [secret.secret, secret.expiresAt])).toEqual([
      ['whsec_fourth', null],
      ['whsec_third', hoursLater(54).toISOString()],
    ]);
  });

  it(`signs with at most ${MAX_SIGNING_SECRETS} secrets, always keeping the one just replaced`, () => {
    let secrets = endpoint().secrets;
    for (let i = 1; i <= 8; i++) {
      secrets = rotatedSecrets({ secrets }, `whsec_${i}`, hoursLater(i / 10));
    }

    expect(secrets.map((secret) => secret.secret)).toEqual([
      'whsec_8',
      'whsec_7',
      'whsec_6',
      'whsec_5',
      'whsec_4',
    ]);
  });
});

describe('what partners see', () => {
  it('shows an endpoint without its secrets, exactly as the resource schema describes it', () => {
    const shown = toEndpointResource(
      endpoint({
        events: ['smart_account_request.activated'],
        description: 'CRM',
      }),
    );

    expect(shown).toEqual({
      id: 'whe_01JTESTENDPOINT0000000000',
      url: 'https://hooks.partner.example/in',
      events: ['smart_account_request.activated'],
      description: 'CRM',
      createdAt: NOW.toISOString(),
    });
    expect(JSON.stringify(shown)).not.toContain('whsec_');
    expect(webhookEndpointResource.parse(shown)).toEqual(shown);
  });

  it('shows a delivery without its payload or bookkeeping', () => {
    const delivery = newDelivery(
      endpoint(),
      { id: 'evt_01JTESTEVENT000000000000000', type: 'webhook.test', createdAt: NOW.toISOString() },
      '{"secret":"payload"}',
    );

    const shown = toDeliveryResource(delivery);

    expect(shown).toEqual({
      eventId: 'evt_01JTESTEVENT000000000000000',
      type: 'webhook.test',
      status: 'pending',
      attempts: 0,
      lastAttemptAt: null,
      lastStatusCode: null,
      nextAttemptAt: NOW.toISOString(),
    });
    expect(deliveryResource.parse(shown)).toEqual(shown);
  });
});

describe('endpoints and events', () => {
  it('makes a new endpoint with one current secret, receiving every type when none is chosen', () => {
    const made = newEndpoint(
      'partner-1',
      { url: 'https://hooks.partner.example/in', description: null },
      { id: 'whe_1', secret: 'whsec_new', now: NOW },
    );

    expect(made).toEqual(
      endpoint({
        id: 'whe_1',
        secrets: [{ secret: 'whsec_new', createdAt: NOW.toISOString(), expiresAt: null }],
      }),
    );
    expect(isSubscribed(made, 'smart_account_request.failed')).toBe(true);
  });

  it('delivers only the chosen event types to a filtered endpoint', () => {
    const filtered = endpoint({ events: ['smart_account_request.activated'] });

    expect(isSubscribed(filtered, 'smart_account_request.activated')).toBe(true);
    expect(isSubscribed(filtered, 'smart_account_request.created')).toBe(false);
  });

  it('tests an endpoint with a webhook.test event naming it', () => {
    expect(testEvent('whe_1', 'evt_1', NOW)).toEqual({
      id: 'evt_1',
      type: 'webhook.test',
      createdAt: NOW.toISOString(),
      data: { endpointId: 'whe_1' },
    });
  });

  it(`keeps a delivery record for ${DELIVERY_RETENTION_DAYS} days`, () => {
    expect(deliveryExpiry(NOW.toISOString())).toBe(NOW.getTime() / 1000 + 30 * 86_400);
  });
});

describe('slots left by a crashed create', () => {
  const reservedAt = (at: Date) => `whe_${ulid(at.getTime())}`;

  it('frees a slot no endpoint holds once the grace period has passed', () => {
    const crashed = reservedAt(NOW);
    const stored = reservedAt(new Date(NOW.getTime() - 3_600_000));
    const justNow = reservedAt(new Date(NOW.getTime() + 1000));
    const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

    expect(
      orphanReservations([crashed, stored, justNow], [stored], at(RESERVATION_GRACE_SECONDS)),
    ).toEqual([]);
    expect(
      orphanReservations([crashed, stored, justNow], [stored], at(RESERVATION_GRACE_SECONDS + 1)),
    ).toEqual([crashed]);
  });

  it('frees a slot whose id is no endpoint id at all', () => {
    expect(orphanReservations(['not-an-id'], [], NOW)).toEqual(['not-an-id']);
  });
});

describe('the deliveries query', () => {
  it('pages 25 by default and accepts 1 to 100', () => {
    expect(listDeliveriesQuery.parse({})).toEqual({ limit: 25 });
    expect(listDeliveriesQuery.parse({ limit: '100', cursor: 'abc' })).toEqual({
      limit: 100,
      cursor: 'abc',
    });
    expect(listDeliveriesQuery.parse({ limit: '' })).toEqual({ limit: 25 });
  });

  it.each([
    { limit: '0' },
    { limit: '101' },
    { limit: '2.5' },
    { limit: 'x' },
    { status: 'failed' },
  ])('refuses %j', (query) => {
    expect(listDeliveriesQuery.safeParse(query).success).toBe(false);
  });
});
