import * as z from 'zod/mini';
import { Locale } from '../shared/locale.ts';
import { requestStatuses } from '../shared/status.ts';
import { normalizeAccountDomain } from './account-domain.ts';

/**
 * The partner API's inputs, validated once at the edge so everything inward works with typed,
 * normalized values, and `partnerFields`: what a partner gives, as stored and returned. The API
 * resource (resource-schemas.ts) is these fields plus the ones the system sets; the stored model
 * (smart-account-request.ts) is the resource plus internal fields; the OpenAPI parameters, bodies
 * and responses are generated from these schemas (functions/api/openapi-document.ts).
 *
 * zod/mini (not the full zod API) keeps the create and list bundles, and so their cold starts,
 * small. Handlers that only return a resource import none of this at run time.
 */

export const MAX_ACCOUNT_NAME_LENGTH = 100;
export const MAX_NOTE_LENGTH = 1000;
export const MAX_USER_EMAILS = 50;
const MAX_EMAIL_LENGTH = 254;
const MAX_DOMAIN_LENGTH = 253;

/** What normalizeAccountDomain returns: lower-case LDH labels (IDNs as punycode), at least two. */
const DNS_NAME =
  /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

const storedEmail = z.email().check(z.maxLength(MAX_EMAIL_LENGTH));
const storedNote = z.nullable(z.string().check(z.maxLength(MAX_NOTE_LENGTH)));

/** The fields a partner gives, as stored and returned: trimmed, lower-cased, defaults filled. */
export const partnerFields = {
  accountName: z.string().check(z.minLength(1), z.maxLength(MAX_ACCOUNT_NAME_LENGTH)),
  accountDomain: z
    .string()
    .check(
      z.maxLength(MAX_DOMAIN_LENGTH),
      z.regex(DNS_NAME),
      z.describe('A DNS domain, lower-cased; an internationalized name in its punycode form.'),
    ),
  customerEmail: storedEmail.check(z.describe('Who is asked to activate the account.')),
  noteToCustomer: storedNote,
  userEmails: z
    .array(storedEmail)
    .check(
      z.maxLength(MAX_USER_EMAILS),
      z.describe('Distinct addresses told they have access once the account is active.'),
    ),
  noteToUsers: storedNote,
  locale: z.enum([Locale.EN, Locale.NL]),
};

/**
 * DynamoDB and SES carry text as UTF-8, which cannot encode a lone surrogate: such a value
 * would be stored or mailed as something other than what the partner was shown.
 */
const wellFormed = z.refine<string>((value) => value.isWellFormed(), 'Not valid Unicode text.');

/**
 * An e-mail address, trimmed and lower-cased. zod's e-mail pattern admits no whitespace or
 * control characters, so an address can never carry CR/LF into a mail header. The pattern is
 * checked before lower-casing: some non-ASCII letters (the Kelvin sign) lower-case to ASCII.
 */
export const emailAddress = z
  .pipe(
    z.string().check(z.trim(), z.maxLength(MAX_EMAIL_LENGTH, 'Not a valid e-mail address.')),
    z.pipe(
      z.email('Not a valid e-mail address.'),
      z.transform((value: string) => value.toLowerCase()),
    ),
  )
  .check(z.describe('An e-mail address; surrounding spaces are trimmed, stored lower-cased.'));

/**
 * A note is where a lookalike `https://…/activate/…` link would go, and mail clients turn plain
 * URLs into links even when we escape them: a scheme (`x://`) or a `www.` host is refused.
 * Fullwidth and other compatibility forms are folded first (NFKC), so `ｈｔｔｐｓ：／／` counts too.
 */
const LINK_IN_TEXT = /[a-z][a-z0-9+.-]*:\/\/|\bwww\./i;
export const NOTE_LINK_MESSAGE =
  'Links are not allowed in a note: mail clients make them clickable, which is how phishing ' +
  'links travel. Say in words where to go instead.';
const withoutLinks = z.refine<string>(
  (value) => !LINK_IN_TEXT.test(value.normalize('NFKC')),
  NOTE_LINK_MESSAGE,
);

const note = z.pipe(
  z.optional(
    z.nullable(
      z
        .string()
        .check(
          z.maxLength(MAX_NOTE_LENGTH, `At most ${MAX_NOTE_LENGTH} characters.`),
          wellFormed,
          withoutLinks,
        ),
    ),
  ),
  z.transform((value: string | null | undefined) => value?.trim() || null),
);

const accountDomain = z
  .pipe(
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
  )
  .check(
    z.describe(
      'A DNS domain such as acme.example; stored lower-cased, without a trailing dot, an internationalized name as punycode.',
    ),
  );

// A prefault (not a default) is parsed like a given value, so the document shows it as the
// input's default: [] is also what a partner may send.
const userEmailList = z.array(emailAddress).check(
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
);
const userEmails = z.prefault(userEmailList, []);

/**
 * The body of `POST /v1/smart-account-requests`: what the partner may send, piped into the
 * stored fields (`partnerFields`), so the create input cannot drift from the resource and
 * what is stored has passed the resource's own constraints. The first stage gives the
 * partner-facing messages; the second only ever sees normalized values.
 */
export const createRequestInput = z.pipe(
  z.strictObject({
    accountName: z.string().check(
      z.trim(),
      z.minLength(1, `Required, 1-${MAX_ACCOUNT_NAME_LENGTH} characters.`),
      z.maxLength(MAX_ACCOUNT_NAME_LENGTH, `At most ${MAX_ACCOUNT_NAME_LENGTH} characters.`),
      z.refine<string>((value) => !/\p{Cc}/u.test(value), 'No control characters or line breaks.'),
      wellFormed,
    ),
    accountDomain,
    customerEmail: emailAddress,
    noteToCustomer: note,
    userEmails,
    noteToUsers: note,
    locale: z._default(z.optional(z.enum([Locale.EN, Locale.NL])), Locale.EN),
  }),
  z.object(partnerFields),
);

export type CreateRequestInput = z.output<typeof createRequestInput>;
/** What a partner may send to create a request: the console's form builds this. */
export type CreateRequestBody = z.input<typeof createRequestInput>;

const LIMIT_MESSAGE = 'A whole number from 1 to 100.';

/** API Gateway passes `?status=&limit=` as empty strings; here an empty parameter is not given. */
export const withoutEmptyValues = z.transform(
  (query: Record<string, string>): Partial<Record<string, string>> =>
    Object.fromEntries(Object.entries(query).filter(([, value]) => value !== '')),
);

/** `limit` and `cursor` of every paged list (requests, deliveries). */
export const pageQueryFields = {
  // Number() is what z.coerce.number does; the integer schema after it is what the document
  // shows (type integer, 1-100, default 25).
  limit: z
    .pipe(
      z.transform((value: string | undefined) => (value === undefined ? undefined : Number(value))),
      z._default(
        z.optional(z.int(LIMIT_MESSAGE).check(z.gte(1, LIMIT_MESSAGE), z.lte(100, LIMIT_MESSAGE))),
        25,
      ),
    )
    .check(z.describe('Items per page.')),
  cursor: z
    .optional(z.string().check(z.maxLength(2048, 'Not a cursor this list returned.')))
    .check(z.describe('The `nextCursor` of the previous page.')),
};

const instant = z.pipe(
  z.iso.datetime({ offset: true, error: 'An ISO 8601 date and time, e.g. 2027-03-01T10:00:00Z.' }),
  // Stored times are toISOString() (UTC, milliseconds): compared as strings, the same format
  // orders as the times do.
  z.transform((value: string) => new Date(value).toISOString()),
);

/**
 * The query of `GET /v1/smart-account-requests`. Every filter is exact and runs on an index of
 * its own (functions/domain/request-filters.ts); they combine.
 */
export const listRequestsQuery = z.pipe(
  withoutEmptyValues,
  z.strictObject({
    status: z.optional(z.enum(requestStatuses)).check(z.describe('Only requests in this status.')),
    accountDomain: z
      .optional(accountDomain)
      .check(z.describe('Only requests for this domain (normalized as on create).')),
    customerEmail: z
      .optional(emailAddress)
      .check(z.describe("Only requests to this customer's address (case-insensitive).")),
    expiresBefore: z
      .optional(instant)
      .check(
        z.describe(
          'Only requests whose `expiresAt` is before this time. Alone, the list is ordered by `expiresAt`, latest first.',
        ),
      ),
    ...pageQueryFields,
  }),
);
export type ListRequestsQuery = z.output<typeof listRequestsQuery>;

/**
 * The query of `POST /v1/smart-account-requests`. Unlike the list, an empty value is not
 * "absent": `?dryRun` and `?dryRun=` are refused like `?dryRun=1`, because a partner who meant
 * to review must never mail a customer by accident (contract: only `true` reviews).
 */
export const createRequestQuery = z.strictObject({
  dryRun: z.pipe(
    z
      .optional(z.enum(['true', 'false'], 'Either true or false.'))
      .check(
        z.describe(
          '`true`: review only. Validate and normalize the request and answer 200 with it; nothing is written and no e-mail is sent.',
        ),
      ),
    z.transform((value: 'true' | 'false' | undefined) => value === 'true'),
  ),
});

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** The headers of `POST /v1/smart-account-requests`, by their canonical names. */
export const createRequestHeaders = z.object({
  [IDEMPOTENCY_KEY_HEADER]: z.optional(
    z
      .string()
      .check(
        z.regex(/^[\x21-\x7e]{1,255}$/, '1-255 printable ASCII characters, no spaces.'),
        z.describe(
          'Makes a create safe to retry: the same key with the same body replays the first answer (for 24 hours); with another body it is a 422.',
        ),
      ),
  ),
});

/** `POST …/{id}/extend`: the new expiry; its limits depend on the request (extension.ts). */
export const extendRequestInput = z.strictObject({
  expiresAt: z.iso
    .datetime({ offset: true, error: 'An ISO 8601 date and time, e.g. 2027-03-01T10:00:00Z.' })
    .check(
      z.describe('The new expiry: later than the current one, at most 364 days after createdAt.'),
    ),
});
export type ExtendRequestInput = z.output<typeof extendRequestInput>;

const NOT_CORRECTABLE =
  'The account cannot be changed: cancel this request and request the right account again.';
const notCorrectable = z.optional(z.never(NOT_CORRECTABLE).check(z.describe(NOT_CORRECTABLE)));

/**
 * PATCH: any of the customer-side fields, each with exactly the create's rules; a field left out
 * stays as it is, a note sent as null or "" is cleared. Naming the account is refused with a
 * reason, any other field as unknown.
 */
export const correctRequestInput = z
  .strictObject({
    accountName: notCorrectable,
    accountDomain: notCorrectable,
    customerEmail: z.optional(emailAddress),
    noteToCustomer: z.optional(note),
    userEmails: z.optional(userEmailList),
    noteToUsers: z.optional(note),
    locale: z.optional(z.enum([Locale.EN, Locale.NL])),
  })
  .check(
    z.refine(
      (body) => Object.values(body).some((value) => value !== undefined),
      'Give at least one of customerEmail, noteToCustomer, userEmails, noteToUsers, locale.',
    ),
  );
export type CorrectRequestInput = z.output<typeof correctRequestInput>;

export const MAX_BATCH_ITEMS = 100;

/**
 * A batch: 1-100 create bodies. Each item is validated on its own (createRequestInput), so one
 * bad item is that item's 400 and the others are still created; only the envelope is checked
 * here.
 */
export const createBatchInput = z.strictObject({
  items: z
    .array(z.unknown())
    .check(
      z.minLength(1, `1-${MAX_BATCH_ITEMS} items.`),
      z.maxLength(MAX_BATCH_ITEMS, `1-${MAX_BATCH_ITEMS} items.`),
      z.describe('Create bodies, each as POST /v1/smart-account-requests takes it.'),
    ),
});
