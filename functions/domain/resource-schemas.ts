import * as z from 'zod';
import { Locale } from '../shared/locale.ts';
import { requestStatuses } from '../shared/status.ts';

/**
 * What the API returns, as schemas for the OpenAPI document. Responses are built by
 * `toResource`, so only the document needs these (and the full zod API they use).
 */
const historyEntry = z.object({ status: z.enum(requestStatuses), at: z.iso.datetime() });

/** The resource as partners see it; internal fields (task token, code hash, ...) are not in it. */
export const smartAccountRequestResource = z.object({
  id: z.string().nullable(),
  status: z.enum(requestStatuses),
  accountName: z.string(),
  accountDomain: z.string(),
  customerEmail: z.string(),
  noteToCustomer: z.string().nullable(),
  userEmails: z.array(z.string()),
  noteToUsers: z.string().nullable(),
  locale: z.enum([Locale.EN, Locale.NL]),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  activatedAt: z.iso.datetime().nullable(),
  closedAt: z.iso.datetime().nullable(),
  history: z.array(historyEntry),
});

export type SmartAccountRequestResource = z.infer<typeof smartAccountRequestResource>;

export const requestList = z.object({
  items: z.array(smartAccountRequestResource),
  nextCursor: z.string().nullable(),
});

export const problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  errorId: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
