import * as z from 'zod/mini';
import { Locale } from '../shared/locale.ts';
import { requestStatuses } from '../shared/status.ts';
import { normalizeAccountDomain } from './account-domain.ts';

/**
 * The partner API's inputs, validated once at the edge so everything inward works with typed,
 * normalized values. zod/mini (not the full zod API) keeps the create and list bundles, and
 * so their cold starts, small.
 */

export const MAX_NOTE_LENGTH = 1000;
export const MAX_USER_EMAILS = 50;

/**
 * DynamoDB and SES carry text as UTF-8, which cannot encode a lone surrogate: such a value
 * would be stored or mailed as something other than what the partner was shown.
 */
const wellFormed = z.refine<string>((value) => value.isWellFormed(), 'Not valid Unicode text.');

/**
 * An e-mail address, trimmed and lower-cased. zod's e-mail pattern admits no whitespace or
 * control characters, so an address can never carry CR/LF into a mail header.
 */
export const emailAddress = z.pipe(
  z.string().check(z.trim(), z.maxLength(254, 'Not a valid e-mail address.')),
  z.pipe(
    z.email('Not a valid e-mail address.'),
    z.transform((value: string) => value.toLowerCase()),
  ),
);

const note = z.pipe(
  z.optional(
    z.nullable(
      z
        .string()
        .check(z.maxLength(MAX_NOTE_LENGTH, `At most ${MAX_NOTE_LENGTH} characters.`), wellFormed),
    ),
  ),
  z.transform((value: string | null | undefined) => value?.trim() || null),
);

const accountDomain = z.pipe(
  z.string().check(
    z.maxLength(300, 'A domain is at most 253 characters.'),
    z.check((payload) => {
      const checked = normalizeAccountDomain(payload.value);
      if (!checked.ok) {
        payload.issues.push({ code: 'custom', message: checked.message, input: payload.value });
      }
    }),
  ),
  z.transform((value: string) => {
    const checked = normalizeAccountDomain(value);
    return checked.ok ? checked.domain : value;
  }),
);

const userEmails = z._default(
  z.optional(
    z.array(emailAddress).check(
      z.maxLength(MAX_USER_EMAILS, `At most ${MAX_USER_EMAILS} addresses.`),
      z.check((payload) => {
        const seen = new Set<string>();
        payload.value.forEach((email, index) => {
          if (seen.has(email)) {
            payload.issues.push({
              code: 'custom',
              path: [index],
              message: 'Listed more than once.',
              input: email,
            });
          }
          seen.add(email);
        });
      }),
    ),
  ),
  [],
);

/** The body of `POST /v1/smart-account-requests`. */
export const createRequestInput = z.strictObject({
  accountName: z.string().check(
    z.trim(),
    z.minLength(1, 'Required, 1-100 characters.'),
    z.maxLength(100, 'At most 100 characters.'),
    z.refine<string>((value) => !/\p{Cc}/u.test(value), 'No control characters or line breaks.'),
    wellFormed,
  ),
  accountDomain,
  customerEmail: emailAddress,
  noteToCustomer: note,
  userEmails,
  noteToUsers: note,
  locale: z._default(z.optional(z.enum([Locale.EN, Locale.NL])), Locale.EN),
});

export type CreateRequestInput = z.output<typeof createRequestInput>;

const LIMIT_MESSAGE = 'A whole number from 1 to 100.';

export const listRequestsQuery = z.strictObject({
  status: z.optional(z.enum(requestStatuses)),
  limit: z._default(
    z.optional(
      z.coerce.number(LIMIT_MESSAGE).check(
        z.refine<number>((value) => Number.isInteger(value), LIMIT_MESSAGE),
        z.gte(1, LIMIT_MESSAGE),
        z.lte(100, LIMIT_MESSAGE),
      ),
    ),
    25,
  ),
  cursor: z.optional(z.string().check(z.maxLength(2048, 'Not a cursor this list returned.'))),
});
export type ListRequestsQuery = z.output<typeof listRequestsQuery>;

export const createRequestQuery = z.strictObject({
  dryRun: z.pipe(
    z.optional(z.enum(['true', 'false'], 'Either true or false.')),
    z.transform((value: 'true' | 'false' | undefined) => value === 'true'),
  ),
});
