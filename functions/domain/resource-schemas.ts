import * as z from 'zod/mini';
import { type RequestStatus, requestStatuses } from '../shared/status.ts';
import { TimelineType, webhookEventTypes } from './events.ts';
import { partnerFields } from './request-schema.ts';

/**
 * What the API returns: the request resource (the partner's fields, request-schema.ts, plus the
 * ones the system sets), a page of them and the problem body. The OpenAPI document is generated
 * from these; the stored model (smart-account-request.ts) extends the resource type. This is
 * also the module the console's JSDoc types import (`import('…/resource-schemas.ts')`).
 */

const timestamp = z.iso.datetime();

export const statusChange = z.object({ status: z.enum(requestStatuses), at: timestamp });

/** The resource as partners see it; internal fields (task token, code hash, ...) are not in it. */
export const smartAccountRequestResource = z.object({
  id: z.nullable(z.string()).check(z.describe('Opaque and unguessable; null in a dry run.')),
  status: z.enum(requestStatuses),
  ...partnerFields,
  createdAt: timestamp,
  expiresAt: timestamp.check(
    z.describe('When the request expires if the customer does not answer.'),
  ),
  activatedAt: z.nullable(timestamp),
  closedAt: z.nullable(timestamp),
  declineReason: z
    .nullable(z.string())
    .check(z.describe("The customer's own words when declining (at most 500 characters).")),
  history: z
    .array(statusChange)
    .check(z.describe('Every status the request has had, oldest first.')),
  remindersSent: z
    .int()
    .check(z.gte(0), z.describe('Reminder e-mails sent to the customer so far.')),
  nextReminderAt: z
    .nullable(timestamp)
    .check(
      z.describe('When the customer is reminded next; null when no reminder is due any more.'),
    ),
});
export type SmartAccountRequestResource = z.output<typeof smartAccountRequestResource>;

export const requestList = z.object({
  items: z.array(smartAccountRequestResource).check(z.describe('Newest first.')),
  nextCursor: z
    .nullable(z.string())
    .check(z.describe('Pass as `cursor` for the next page; null on the last page.')),
});
export type RequestList = z.output<typeof requestList>;

/** An event: what the bus and the webhooks carry, and what a timeline lists (events.ts). */
export const requestEvent = z.object({
  id: z.string().check(z.describe('`evt_…`; also the `webhook-id` a receiver dedupes by.')),
  type: z.enum(webhookEventTypes),
  createdAt: timestamp,
  data: smartAccountRequestResource.check(
    z.describe('The request as GET returned it right after the change.'),
  ),
});

/** A timeline's own entry: an e-mail SES accepted or reported bounced. */
export const emailTimelineEntry = z.object({
  id: z.string(),
  type: z.enum([TimelineType.EMAIL_SENT, TimelineType.EMAIL_BOUNCED]),
  createdAt: timestamp,
  data: z.object({
    kind: z.string().check(z.describe('activation, reminder, activated_partner, …')),
    to: z.string().check(z.describe('The address, masked (`i***@acme.example`).')),
  }),
});

export const requestTimeline = z.object({
  items: z.array(z.union([requestEvent, emailTimelineEntry])).check(z.describe('Oldest first.')),
});

/** `GET …/counts`: the caller's requests per status, every status present. */
export const statusCounts = z.object(
  Object.fromEntries(requestStatuses.map((status) => [status, z.int().check(z.gte(0))])) as Record<
    RequestStatus,
    ReturnType<typeof z.int>
  >,
);

/** RFC 9457 problem details; `errors` only for validation failures, one entry per bad field. */
export const problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int().check(z.gte(400), z.lte(599)),
  detail: z.string(),
  errorId: z.string().check(z.describe('Quote it to support: it finds the log lines.')),
  errors: z.optional(
    z.array(z.object({ path: z.string(), message: z.string() })).check(z.describe('Field errors.')),
  ),
});
export type Problem = z.output<typeof problem>;
export type FieldError = NonNullable<Problem['errors']>[number];

/** The body a partner sends to create a request (before normalization and defaults). */
export type { CreateRequestBody } from './request-schema.ts';

/** A batch's answer: one entry per item, in order, as a single create would have answered it. */
export const batchResult = z.object({
  items: z.array(
    z.object({
      index: z.int().check(z.gte(0)),
      status: z.int().check(z.describe('202 created, 200 reviewed (dryRun), or the refusal.')),
      request: z.optional(smartAccountRequestResource),
      problem: z.optional(problem),
    }),
  ),
});
