import * as z from 'zod/mini';
import { webhookEventTypes } from './events.ts';
import { pageQueryFields, withoutEmptyValues } from './request-schema.ts';
import { deliveryStatuses } from './webhook-ports.ts';

/**
 * The webhook endpoints' shapes, once: the partner's input, validated at the edge (create,
 * the deliveries' query), and the resources the API answers with. The OpenAPI document
 * (functions/api/openapi-document.ts) and the console's JSDoc types are generated from or typed
 * against these. zod/mini as for the requests; the rules that only need the types
 * (webhook-endpoints.ts) import none of this at run time, so the handlers that answer with an
 * endpoint or a delivery bundle no zod.
 */

export const MAX_URL_LENGTH = 2048;
export const MAX_DESCRIPTION_LENGTH = 200;

const timestamp = z.iso.datetime();

/** DynamoDB stores text as UTF-8, which cannot encode a lone surrogate. */
const wellFormed = z.refine<string>((value) => value.isWellFormed(), 'Not valid Unicode text.');

const EVENT_TYPE_MESSAGE = `Not an event type: one of ${webhookEventTypes.join(', ')}.`;
const eventType = z.enum(webhookEventTypes, EVENT_TYPE_MESSAGE);

const eventTypeList = z.array(eventType).check(
  z.minLength(1, 'Give at least one event type, or leave events out to receive every type.'),
  z.check((payload) => {
    const seen = new Set<string>();
    payload.value.forEach((type, index) => {
      if (seen.has(type)) {
        payload.issues.push({
          code: 'custom',
          path: [index],
          message: 'Listed more than once.',
          input: type,
        });
      }
      seen.add(type);
    });
  }),
);

const description = z.pipe(
  z.optional(
    z.nullable(
      z
        .string()
        .check(
          z.maxLength(MAX_DESCRIPTION_LENGTH, `At most ${MAX_DESCRIPTION_LENGTH} characters.`),
          wellFormed,
        ),
    ),
  ),
  z.transform((value: string | null | undefined) => value?.trim() || null),
);

/**
 * `POST /v1/webhook-endpoints`. Only the shape is checked here; whether the URL may be called
 * (https, no credentials, a public address) is the address check's (functions/webhooks/).
 */
export const addEndpointInput = z.strictObject({
  url: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'Required: the https URL to deliver events to.'),
      z.maxLength(MAX_URL_LENGTH, `At most ${MAX_URL_LENGTH} characters.`),
      z.describe(
        'An https URL on a public address; no user name or password, no fragment. Checked again at every delivery.',
      ),
    ),
  events: z
    .optional(eventTypeList)
    .check(z.describe('The event types to receive, each once; leave out to receive every type.')),
  description: description.check(
    z.describe(`For you: what the endpoint is (at most ${MAX_DESCRIPTION_LENGTH} characters).`),
  ),
});
export type AddEndpointInput = z.output<typeof addEndpointInput>;
/** What a partner may send to add an endpoint: the console's form builds this. */
export type AddEndpointBody = z.input<typeof addEndpointInput>;

/** An endpoint as partners see it: never its secrets. */
export const webhookEndpointResource = z.object({
  id: z.string().check(z.describe('`whe_…`')),
  url: z.string(),
  events: z
    .nullable(z.array(eventType))
    .check(z.describe('The event types it receives; null: every type, also those added later.')),
  description: z.nullable(z.string()),
  createdAt: timestamp,
});
export type WebhookEndpointResource = z.output<typeof webhookEndpointResource>;

/** The create's and the rotation's answer: the only places the secret is ever shown. */
export const webhookEndpointWithSecret = z.extend(webhookEndpointResource, {
  secret: z
    .string()
    .check(
      z.describe(
        'The signing secret (`whsec_…`), shown only in this answer: store it now. Verify `webhook-signature` with it (Standard Webhooks).',
      ),
    ),
});
export type WebhookEndpointWithSecret = z.output<typeof webhookEndpointWithSecret>;

export const webhookEndpointList = z.object({
  items: z.array(webhookEndpointResource).check(z.describe('Oldest first.')),
});
export type WebhookEndpointList = z.output<typeof webhookEndpointList>;

export const deliveryResource = z.object({
  eventId: z.string().check(z.describe('`evt_…`: the `webhook-id` header of the delivery.')),
  type: z.string(),
  status: z.enum(deliveryStatuses),
  attempts: z.int().check(z.gte(0), z.describe('Attempts so far (since the last redelivery).')),
  lastAttemptAt: z.nullable(timestamp),
  lastStatusCode: z
    .nullable(z.int())
    .check(z.describe("The endpoint's HTTP status at the last attempt; null: no answer.")),
  nextAttemptAt: z
    .nullable(timestamp)
    .check(z.describe('When it is tried next; null once it succeeded or failed.')),
});
export type DeliveryResource = z.output<typeof deliveryResource>;

export const deliveryList = z.object({
  items: z.array(deliveryResource).check(z.describe('Newest first.')),
  nextCursor: z
    .nullable(z.string())
    .check(z.describe('Pass as `cursor` for the next page; null on the last page.')),
});
export type DeliveryList = z.output<typeof deliveryList>;

/** The query of `GET /v1/webhook-endpoints/{id}/deliveries`: a page, as for requests. */
export const listDeliveriesQuery = z.pipe(withoutEmptyValues, z.strictObject(pageQueryFields));
export type ListDeliveriesQuery = z.output<typeof listDeliveriesQuery>;
