import * as z from 'zod';
import { RequestStatus, requestStatuses } from '../shared/status.ts';
import { normalizeAccountDomain } from './account-domain.ts';

export const Locale = { EN: 'en', NL: 'nl' } as const;
export type Locale = (typeof Locale)[keyof typeof Locale];

export const MAX_NOTE_LENGTH = 1000;

/**
 * DynamoDB and SES carry text as UTF-8, which cannot encode a lone surrogate: such a value
 * would be stored or mailed as something other than what the partner was shown.
 */
const WELL_FORMED = { message: 'Not valid Unicode text.' };
const isWellFormed = (value: string): boolean => value.isWellFormed();
export const MAX_USER_EMAILS = 50;

/**
 * An e-mail address, trimmed and lower-cased. zod's e-mail pattern admits no whitespace or
 * control characters, so an address can never carry CR/LF into a mail header.
 */
export const emailAddress = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'Not a valid e-mail address.' }))
  .transform((value) => value.toLowerCase());

const note = z
  .string()
  .max(MAX_NOTE_LENGTH, { message: `At most ${MAX_NOTE_LENGTH} characters.` })
  .refine(isWellFormed, WELL_FORMED)
  .transform((value) => value.trim() || null)
  .nullable()
  .optional()
  .transform((value) => value ?? null);

const accountDomain = z
  .string()
  .max(300, { message: 'A domain is at most 253 characters.' })
  .transform((value, ctx) => {
    const checked = normalizeAccountDomain(value);
    if (!checked.ok) {
      ctx.addIssue({ code: 'custom', message: checked.message });
      return z.NEVER;
    }
    return checked.domain;
  });

/** The body of `POST /v1/smart-account-requests`: validated once here, typed values inward. */
export const createRequestInput = z.strictObject({
  accountName: z
    .string()
    .trim()
    .min(1, { message: 'Required, 1-100 characters.' })
    .max(100, { message: 'At most 100 characters.' })
    .refine((value) => !/\p{Cc}/u.test(value), {
      message: 'No control characters or line breaks.',
    })
    .refine(isWellFormed, WELL_FORMED),
  accountDomain,
  customerEmail: emailAddress,
  noteToCustomer: note,
  userEmails: z
    .array(emailAddress)
    .max(MAX_USER_EMAILS, { message: `At most ${MAX_USER_EMAILS} addresses.` })
    .optional()
    .default([])
    .superRefine((emails, ctx) => {
      const seen = new Set<string>();
      emails.forEach((email, index) => {
        if (seen.has(email)) {
          ctx.addIssue({ code: 'custom', path: [index], message: 'Listed more than once.' });
        }
        seen.add(email);
      });
    }),
  noteToUsers: note,
  locale: z.enum([Locale.EN, Locale.NL]).optional().default(Locale.EN),
});

export type CreateRequestInput = z.output<typeof createRequestInput>;

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

export const listRequestsQuery = z.strictObject({
  status: z.enum(requestStatuses).optional(),
  limit: z.coerce
    .number({ message: 'A number from 1 to 100.' })
    .int({ message: 'A whole number from 1 to 100.' })
    .min(1, { message: 'A number from 1 to 100.' })
    .max(100, { message: 'A number from 1 to 100.' })
    .optional()
    .default(25),
  cursor: z.string().max(2048).optional(),
});
export type ListRequestsQuery = z.output<typeof listRequestsQuery>;

export const createRequestQuery = z.strictObject({
  dryRun: z
    .enum(['true', 'false'], { message: 'Either true or false.' })
    .optional()
    .transform((value) => value === 'true'),
});

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

export const pendingStatus = RequestStatus.PENDING_ACTIVATION;
