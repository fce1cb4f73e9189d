import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '../../local/stack.ts';
import {
  activationLink,
  mailTo,
  type PartnerClient,
  partnerClient,
  startTestStack,
  validRequest,
  waitFor,
} from '../support/local-stack.ts';
import {
  controlCharacter,
  Entries,
  headerValue,
  notAnObject,
  notAString,
  oddNumber,
  percentEncode,
  serialize,
  wellFormedText,
  withInserted,
} from './generators.ts';
import { isProblem, type RawResponse, rawRequest, storeSnapshot } from './support.ts';

/**
 * Generated bad input on the partner API: every case is invalid in at least one way, and the
 * property predicts which 4xx it gets (and which fields the problem names) from the order the
 * API checks things in: route, key, query, size, media type, JSON, fields, Idempotency-Key.
 * Nothing may be written and no e-mail sent.
 */

const RUNS = 1_000;
const tried: Record<string, number> = {
  create: 0,
  list: 0,
  cancel: 0,
  resend: 0,
  patch: 0,
  batch: 0,
};

let stack: RunningStack;
let partner: PartnerClient;
let key: string;
/** Partner 1's requests that are no longer pending (cancel/resend answer 409). */
const closedIds: string[] = [];
/** Partner 2's pending requests: partner 1 must get 404 for them and change nothing. */
const otherPartnersIds: string[] = [];
let ownCursor: string;
let otherPartnersCursor: string;

beforeAll(async () => {
  stack = await startTestStack();
  key = stack.partnerKeys[0] as string;
  partner = partnerClient(stack, key);
  const other = partnerClient(stack, stack.partnerKeys[1]);
  for (let i = 0; i < 3; i++) {
    const body = validRequest();
    otherPartnersIds.push((await other.create(body)).body.id);
    await activationLink(stack, body.customerEmail);
  }
  for (let i = 0; i < 2; i++) {
    const body = validRequest();
    const id = (await partner.create(body)).body.id;
    await activationLink(stack, body.customerEmail);
    expect((await partner.cancel(id)).status).toBe(200);
    await waitFor(
      async () => (await mailTo(stack, body.customerEmail)).length === 2,
      'cancel mail',
    );
    closedIds.push(id);
  }
  // The cancel e-mails are out; wait until each request is marked notified (the last write).
  await waitFor(async () => {
    const snapshot = await storeSnapshot(stack);
    return (
      snapshot.items.filter((item) => item.includes('"notifiedStatus":"CANCELLED"')).length === 2
    );
  }, 'settled cancellations');
  ownCursor = (await partner.list('?limit=1')).body.nextCursor;
  otherPartnersCursor = (await other.list('?limit=1')).body.nextCursor;
});

afterAll(async () => {
  console.info(`[hardening] generated inputs tried: ${JSON.stringify(tried)}`);
  await stack?.stop();
});

interface Expected {
  readonly status: number;
  /** Field paths the problem's `errors` must name (400 only). */
  readonly paths?: readonly string[];
}

const expectOutcome = (response: RawResponse, expected: Expected, what: unknown) => {
  const context = `${JSON.stringify(what).slice(0, 600)}\n→ ${response.status} ${response.text.slice(0, 400)}`;
  expect(response.status, context).toBe(expected.status);
  expect(isProblem(response), context).toBe(true);
  expect(response.headers.location, context).toBeUndefined();
  const problem = JSON.parse(response.text);
  expect(problem.status, context).toBe(expected.status);
  expect(problem.errorId, context).toEqual(expect.any(String));
  if (expected.paths) {
    expect(Array.isArray(problem.errors), context).toBe(true);
    for (const error of problem.errors) {
      expect(typeof error.path === 'string' && typeof error.message === 'string', context).toBe(
        true,
      );
    }
    const paths: string[] = problem.errors.map((error: { path: string }) => error.path);
    for (const path of expected.paths) {
      expect(
        paths.some((reported) => reported === path || reported.startsWith(`${path}.`)),
        `${context}\nmissing ${path}`,
      ).toBe(true);
    }
  }
};

/** What the gateway hands the handler: the query's last value per name (`?a` and `?a=` as ''). */
const queryAsSent = (query: string): Record<string, string> =>
  Object.fromEntries(new URLSearchParams(query));

/** What the list query schema reads: empty values are not given. */
const effectiveQuery = (query: string): Record<string, string> =>
  Object.fromEntries(Object.entries(queryAsSent(query)).filter(([, v]) => v !== ''));

const encodeQuery = (entries: readonly (readonly [string, string])[]): string =>
  entries.map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`).join('&');

// --- Generators -----------------------------------------------------------------------------

const brokenAuthorization = fc.oneof(
  fc.constant<Record<string, string>>({}),
  fc.constant({ Authorization: 'Basic dXNlcjpwYXNzd29yZA==' }),
  fc.constant({ Authorization: '' }),
  headerValue(60).map((value) => ({ Authorization: `Bearer ${value}` })),
  fc.constantFrom('bearer', 'BEARER', 'Token').map((scheme) => ({
    Authorization: `${scheme} ${key}`,
  })),
  fc.constant(0).map(() => ({ Authorization: `Bearer ${key} extra` })),
  fc.constant(0).map(() => ({ Authorization: `Bearer ${key.slice(0, -1)}` })),
  fc.constant(0).map(() => ({ Authorization: key })),
);

const authorization = fc.oneof(
  { weight: 9, arbitrary: fc.constant({ broken: false }) },
  { weight: 1, arbitrary: brokenAuthorization.map((headers) => ({ broken: true, headers })) },
);

const unknownName = fc
  .oneof(
    wellFormedText(12),
    fc.constantFrom('__proto__', 'constructor', 'toString', 'partnerId', 'id', 'status', 'Locale'),
  )
  .filter((name) => !KNOWN_FIELDS.includes(name));

const KNOWN_FIELDS = [
  'accountName',
  'accountDomain',
  'customerEmail',
  'noteToCustomer',
  'userEmails',
  'noteToUsers',
  'locale',
];

const INVALID_DOMAINS = [
  'localhost',
  '10.0.0.1',
  '-acme.example',
  'acme-.example',
  'acme..example',
  '.example',
  'example.',
  '',
  '   ',
  'https://acme.example',
  'acme.example/path',
  'acme.example:443',
  'acme.123',
  `${'a'.repeat(64)}.example`,
  `${`${'a'.repeat(60)}.`.repeat(5)}example`,
];
const DOMAIN_BREAKERS = [
  ' ',
  '/',
  ':',
  '@',
  '?',
  '#',
  '\\',
  '\u0000',
  '\r\n',
  '\t',
  '_',
  '*',
  '<',
  '"',
  '%',
  '..',
];
const INVALID_EMAILS = [
  '',
  'it',
  'it@',
  '@acme.example',
  'it@acme',
  'it@acme.e',
  '.it@acme.example',
  'i..t@acme.example',
  'a@b@acme.example',
  `${'a'.repeat(250)}@acme.example`,
];
const EMAIL_BREAKERS = [
  ' ',
  '<',
  '>',
  '(',
  ')',
  ',',
  ';',
  ':',
  '\\',
  '"',
  '[',
  ']',
  '\r\n',
  '\n',
  '\u0000',
  'é',
  '😀',
  '\u202e',
  '@',
];

interface FieldBreak {
  readonly field: string;
  readonly value?: unknown;
  readonly remove?: boolean;
}

const breakField = (field: string, value: fc.Arbitrary<unknown>) =>
  value.map((broken): FieldBreak => ({ field, value: broken }));

const fieldBreak: fc.Arbitrary<FieldBreak> = fc.oneof(
  fc
    .constantFrom('accountName', 'accountDomain', 'customerEmail')
    .map((field): FieldBreak => ({ field, remove: true })),
  breakField(
    'accountName',
    fc.oneof(
      notAString,
      fc.constantFrom('', '   ', '\u2028\ufeff'),
      fc.integer({ min: 101, max: 3_000 }).map((length) => 'A'.repeat(length)),
      withInserted('Acme BV', [
        '\u0000',
        '\r',
        '\n',
        '\r\nBcc: x@evil.example',
        '\u007f',
        '\u0085',
      ]),
      controlCharacter.map((character) => `Acme${character}BV`),
      fc.constantFrom('Acme\ud800BV', '\udfffAcme'),
    ),
  ),
  breakField(
    'accountDomain',
    fc.oneof(
      notAString,
      fc.constantFrom(...INVALID_DOMAINS),
      withInserted('acme.example', DOMAIN_BREAKERS),
    ),
  ),
  breakField(
    'customerEmail',
    fc.oneof(
      notAString,
      fc.constantFrom(...INVALID_EMAILS),
      withInserted('itx@acme.example', EMAIL_BREAKERS),
    ),
  ),
  ...['noteToCustomer', 'noteToUsers'].map((field) =>
    breakField(
      field,
      fc.oneof(
        oddNumber,
        fc.boolean(),
        fc.array(fc.string(), { maxLength: 2 }),
        fc.integer({ min: 1_001, max: 4_000 }).map((length) => ' '.repeat(length)),
        fc.integer({ min: 1_001, max: 4_000 }).map((length) => 'é'.repeat(length)),
        fc.constantFrom('note\ud800', '\udc00'),
      ),
    ),
  ),
  breakField(
    'userEmails',
    fc.oneof(
      oddNumber,
      fc.boolean(),
      fc.constant(null),
      fc.constant('a@acme.example'),
      fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }),
      fc
        .tuple(fc.constantFrom(...INVALID_EMAILS, 'x y@acme.example', 42, null), fc.nat(3))
        .map(([bad, at]) =>
          ['a@acme.example', 'b@acme.example', 'c@acme.example'].toSpliced(at, 0, bad as string),
        ),
      fc.constant(['same@acme.example', 'SAME@acme.example']),
      fc
        .integer({ min: 51, max: 120 })
        .map((n) => Array.from({ length: n }, (_, i) => `u${i}@acme.example`)),
    ),
  ),
  breakField(
    'locale',
    fc.oneof(
      notAString,
      wellFormedText(8).filter((value) => value !== 'en' && value !== 'nl'),
      fc.constantFrom('EN', 'nl-NL', 'de', ' en'),
    ),
  ),
);

const jsonBreak = fc.oneof(
  fc
    .double({ min: 0, max: 0.999, noNaN: true })
    .map((at) => (text: string) => text.slice(0, Math.floor(at * text.length))),
  fc.constant((text: string) => `\ufeff${text}`),
  fc
    .constantFrom('x', ',', '}', '{}', '\u0000', '/*c*/')
    .map((tail) => (text: string) => `${text}${tail}`),
  fc.constant((text: string) => text.replaceAll('"', "'")),
  fc.constant((text: string) => `${text.slice(0, -1)},}`),
  fc.constant((text: string) => `{"accountName":NaN,${text.slice(1)}`),
  fc.constant((text: string) => `// comment\n${text}`),
);

const VALID_CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/problem+json',
  'application/vnd.partner+json',
  'application/json;',
];
const BROKEN_CONTENT_TYPES = [
  undefined,
  '',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'text/json',
  'application/jsonx',
  '*/*',
  'application/json-patch',
];

const contentType = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom(...VALID_CONTENT_TYPES).map((value) => ({ value, broken: false })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...BROKEN_CONTENT_TYPES).map((value) => ({ value, broken: true })),
  },
);

const printableAscii = fc
  .integer({ min: 0x21, max: 0x7e })
  .map((code) => String.fromCharCode(code));
const idempotencyKey = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ broken: false }) },
  {
    weight: 2,
    arbitrary: fc
      .string({ unit: printableAscii, minLength: 1, maxLength: 255 })
      .map((value) => ({ value, broken: false })),
  },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        fc.constantFrom('', ' ', 'a b', 'key\tvalue', 'clé'),
        fc.integer({ min: 256, max: 6_000 }).map((length) => 'k'.repeat(length)),
        headerValue(40).filter((value) => !/^[\x21-\x7e]{1,255}$/.test(value.trim())),
      )
      .map((value) => ({ value, broken: true })),
  },
);

const extraHeaders = fc.dictionary(
  fc.constantFrom(
    'X-Forwarded-For',
    'X-Forwarded-Host',
    'Origin',
    'Accept',
    'User-Agent',
    'X-Amz-Target',
    'X-Http-Method-Override',
    'Cookie',
    'Referer',
    'X-Api-Key',
  ),
  headerValue(120),
  { maxKeys: 3 },
);

const createQuery = fc.oneof(
  { weight: 6, arbitrary: fc.constant<[string, string][]>([]) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<[string, string][]>(
      [['dryRun', 'true']],
      [['dryRun', 'false']],
      [['dryRun', '']],
    ),
  },
  {
    weight: 1,
    arbitrary: fc.array(
      fc.tuple(
        fc.oneof(fc.constant('dryRun'), unknownName),
        fc.oneof(wellFormedText(10), fc.constantFrom('yes', 'TRUE', '1', 'true ')),
      ),
      { minLength: 1, maxLength: 3 },
    ),
  },
);

const createCase = fc.record({
  auth: authorization,
  query: createQuery,
  contentType,
  idempotency: idempotencyKey,
  headers: extraHeaders,
  shape: fc.oneof(
    { weight: 12, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: notAnObject.map((value) => ({ value })) },
  ),
  breaks: fc.uniqueArray(fieldBreak, { selector: (change) => change.field, maxLength: 3 }),
  unknownFields: fc.array(fc.tuple(unknownName, fc.jsonValue({ maxDepth: 1 })), { maxLength: 2 }),
  overriddenDuplicates: fc.array(fc.tuple(fc.constantFrom(...KNOWN_FIELDS), notAString), {
    maxLength: 2,
  }),
  noteNoise: fc.option(wellFormedText(300), { nil: undefined }),
  jsonBreak: fc.option(jsonBreak, { freq: 8, nil: undefined }),
  oversize: fc.oneof(
    { weight: 15, arbitrary: fc.constant(false) },
    { weight: 1, arbitrary: fc.constant(true) },
  ),
  whitespace: fc.constantFrom('', ' ', '\n', '\t\r\n'),
});

type CreateCase = typeof createCase extends fc.Arbitrary<infer T> ? T : never;

const buildCreate = (c: CreateCase) => {
  const fields: [string, unknown][] = [
    ['accountName', 'Acme BV'],
    ['accountDomain', 'fuzz.example'],
    ['customerEmail', 'it@fuzz.example'],
    ['noteToCustomer', c.noteNoise ?? 'Please activate.'],
    ['userEmails', ['a@fuzz.example']],
    ['noteToUsers', 'Welcome.'],
    ['locale', 'en'],
  ];
  const changed = fields
    .filter(([name]) => !c.breaks.some((change) => change.field === name && change.remove))
    .map(([name, value]): [string, unknown] => {
      const change = c.breaks.find((candidate) => candidate.field === name);
      return [name, change ? change.value : value];
    });
  const entries: [string, unknown][] = [
    ...c.overriddenDuplicates,
    ...changed,
    ...c.unknownFields,
    ...(c.oversize ? [['padding', 'x'.repeat(66_000)] as [string, unknown]] : []),
  ];
  let text = c.shape ? serialize(c.shape.value) : serialize(new Entries(entries));
  if (c.jsonBreak) text = c.jsonBreak(text);
  text = `${c.whitespace}${text}${c.whitespace}`;
  const body = Buffer.from(text, 'utf8');
  const query = encodeQuery(c.query);
  // The create query keeps empty values: `?dryRun=` is refused, never read as "create".
  const effective = queryAsSent(query);

  let expected: Expected | undefined;
  if (c.auth.broken) expected = { status: 401 };
  else {
    const badQuery = Object.entries(effective)
      .filter(([name, value]) => name !== 'dryRun' || (value !== 'true' && value !== 'false'))
      .map(([name]) => name);
    if (badQuery.length) expected = { status: 400, paths: badQuery };
    else if (body.length > 64 * 1024) expected = { status: 413 };
    else if (c.contentType.broken) expected = { status: 415 };
    else if (c.jsonBreak) expected = { status: 400, paths: ['(body)'] };
    else if (c.shape) expected = { status: 400, paths: ['(body)'] };
    else if (c.breaks.length || c.unknownFields.length) {
      expected = {
        status: 400,
        paths: [
          ...c.breaks.map((change) => change.field),
          ...c.unknownFields.map(([name]) => name),
        ],
      };
    } else if (c.idempotency.broken && effective.dryRun !== 'true') {
      expected = { status: 400, paths: ['Idempotency-Key'] };
    }
  }
  const headers: Record<string, string> = {
    ...c.headers,
    ...(c.auth.broken ? c.auth.headers : { Authorization: `Bearer ${key}` }),
    ...(c.contentType.value !== undefined ? { 'Content-Type': c.contentType.value } : {}),
    ...('value' in c.idempotency ? { 'Idempotency-Key': c.idempotency.value as string } : {}),
  };
  return {
    request: {
      method: 'POST',
      path: `/v1/smart-account-requests${query ? `?${query}` : ''}`,
      headers,
      body,
    },
    expected,
  };
};

describe('generated bad input on the partner API', () => {
  it(`create: ${RUNS} invalid bodies, queries and headers each get the predicted 4xx problem and write nothing`, async () => {
    const before = await storeSnapshot(stack);
    await fc.assert(
      fc.asyncProperty(createCase, async (c) => {
        const { request, expected } = buildCreate(c);
        fc.pre(expected !== undefined);
        tried.create = (tried.create ?? 0) + 1;
        const response = await rawRequest(stack, request);
        expectOutcome(response, expected as Expected, {
          ...request,
          body: request.body.toString().slice(0, 300),
        });
      }),
      { numRuns: RUNS },
    );
    expect(tried.create).toBeGreaterThanOrEqual(RUNS);
    expect(await storeSnapshot(stack)).toEqual(before);
  });

  const INVALID_STATUSES = [
    'pending_activation',
    'PENDING',
    'ACTIVE ',
    'Active',
    '*',
    'null',
    'PENDING_ACTIVATION,ACTIVE',
  ];
  const INVALID_LIMITS = [
    '0',
    '101',
    '-1',
    '-0',
    '1.5',
    'ten',
    '1e400',
    'NaN',
    'Infinity',
    '1_0',
    '0x',
    '１０',
    '100000000000000000000',
  ];
  const invalidCursor = fc.oneof(
    fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 60 }),
    fc
      .jsonValue({ maxDepth: 2 })
      .map((value) => Buffer.from(JSON.stringify(value) ?? 'x').toString('base64url')),
    fc.constant(0).map(() => otherPartnersCursor),
    fc.constant(0).map(() => `${ownCursor}x`),
    fc.constant(0).map(() => ownCursor.slice(1)),
    fc.integer({ min: 2_049, max: 4_000 }).map((length) => 'A'.repeat(length)),
    fc
      .record({
        PK: fc.oneof(
          fc.constant('REQUEST#'),
          fc.string({ maxLength: 20 }),
          fc.constant(`REQUEST#${'y'.repeat(1_400)}`),
        ),
        SK: fc.constantFrom('REQUEST', 'PROFILE', ''),
        GSI1PK: fc.constantFrom('PARTNER#local-partner-1', 'PARTNER#local-partner-2', ''),
        GSI1SK: fc.oneof(
          fc.constant(''),
          fc.string({ maxLength: 30 }),
          fc.constant('z'.repeat(1_100)),
        ),
      })
      .map((key) => Buffer.from(JSON.stringify(key)).toString('base64url')),
  );
  // The filters (contract: Lists): values each schema accepts, after its normalization, and
  // values it must refuse.
  const VALID_FILTERS: Record<string, string[]> = {
    accountDomain: ['acme.example', 'ACME.Example', 'xn--bcher-kva.example'],
    customerEmail: ['pat@acme.example', 'PAT@Acme.Example', ' pat@acme.example '],
    expiresBefore: [
      '2027-01-01T00:00:00Z',
      '2027-01-01T01:00:00+01:00',
      '2027-01-01T00:00:00.123Z',
    ],
  };
  const INVALID_FILTERS: Record<string, string[]> = {
    accountDomain: [
      'no_dots',
      '-bad-.example',
      'acme..example',
      'http://acme.example',
      'a'.repeat(301),
    ],
    customerEmail: [
      'pat',
      'pat@',
      '@acme.example',
      'pat@@acme.example',
      `${'a'.repeat(320)}@x.example`,
    ],
    expiresBefore: [
      'tomorrow',
      '2027-13-01T00:00:00Z',
      '2027-01-01',
      '1700000000',
      '2027-01-01T00:00:00',
    ],
  };
  const FILTER_NAMES = Object.keys(VALID_FILTERS);
  const listEntry: fc.Arbitrary<readonly [string, string, boolean]> = fc.oneof(
    fc
      .constantFrom('PENDING_ACTIVATION', 'CANCELLED', '')
      .map((value) => ['status', value, false] as const),
    fc
      .constantFrom(...FILTER_NAMES)
      .chain((name) =>
        fc
          .constantFrom(...(VALID_FILTERS[name] as string[]))
          .map((value) => [name, value, false] as const),
      ),
    fc
      .constantFrom(...FILTER_NAMES)
      .chain((name) =>
        fc
          .constantFrom(...(INVALID_FILTERS[name] as string[]))
          .map((value) => [name, value, true] as const),
      ),
    fc.integer({ min: 1, max: 100 }).map((n) => ['limit', String(n), false] as const),
    fc.constant(0).map(() => ['cursor', ownCursor, false] as const),
    fc.constantFrom('status', 'limit', 'cursor').map((name) => [name, '', false] as const),
    fc
      .oneof(
        fc.constantFrom(...INVALID_STATUSES),
        wellFormedText(10).filter((v) => v !== ''),
      )
      .map((value) => ['status', value, true] as const),
    fc.constantFrom(...INVALID_LIMITS).map((value) => ['limit', value, true] as const),
    invalidCursor.map((value) => ['cursor', value, true] as const),
    fc
      .tuple(
        unknownName.filter(
          (name) => !['status', 'limit', 'cursor', ...FILTER_NAMES].includes(name),
        ),
        wellFormedText(10).filter((v) => v !== ''),
      )
      .map(([name, value]) => [name, value, true] as const),
  );
  const listCase = fc.record({
    auth: authorization,
    entries: fc.array(listEntry, { maxLength: 4 }),
    last: listEntry.filter(([, , broken]) => broken),
    headers: extraHeaders,
  });

  const VALID_STATUSES = [
    'PENDING_ACTIVATION',
    'ACTIVE',
    'DECLINED',
    'CANCELLED',
    'EXPIRED',
    'FAILED',
  ];
  const validListValue = (name: string, value: string): boolean => {
    if (name === 'status') return VALID_STATUSES.includes(value);
    if (name === 'limit') return /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 100;
    if (name === 'cursor') return value === ownCursor;
    if (FILTER_NAMES.includes(name)) return (VALID_FILTERS[name] as string[]).includes(value);
    return false;
  };

  it(`list: ${RUNS} invalid query strings (filters, limit, cursor) each get a 400 naming the bad parameters`, async () => {
    const before = await storeSnapshot(stack);
    await fc.assert(
      fc.asyncProperty(listCase, async (c) => {
        const query = encodeQuery([...c.entries, c.last].map(([name, value]) => [name, value]));
        // The query schema runs first; a cursor is only decoded (and refused) once it passed.
        const effective = Object.entries(effectiveQuery(query));
        const schemaErrors = effective
          .filter(([name, value]) =>
            name === 'cursor' ? value.length > 2048 : !validListValue(name, value),
          )
          .map(([name]) => name);
        // The own cursor is the unfiltered list's: with any filter it points into another
        // index, and is refused like a tampered one.
        const filtered = effective.some(
          ([name]) => name === 'status' || FILTER_NAMES.includes(name),
        );
        const cursorRefused = effective.some(
          ([name, value]) => name === 'cursor' && (filtered || !validListValue(name, value)),
        );
        const bad = schemaErrors.length ? schemaErrors : cursorRefused ? ['cursor'] : [];
        fc.pre(c.auth.broken || bad.length > 0);
        tried.list = (tried.list ?? 0) + 1;
        const response = await rawRequest(stack, {
          method: 'GET',
          path: `/v1/smart-account-requests?${query}`,
          headers: {
            ...c.headers,
            ...(c.auth.broken ? c.auth.headers : { Authorization: `Bearer ${key}` }),
          },
        });
        expectOutcome(
          response,
          c.auth.broken ? { status: 401 } : { status: 400, paths: bad },
          query,
        );
      }),
      { numRuns: RUNS },
    );
    expect(tried.list).toBeGreaterThanOrEqual(RUNS);
    expect(await storeSnapshot(stack)).toEqual(before);
  });

  const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const targetId = fc.oneof(
    {
      weight: 3,
      arbitrary: wellFormedText(30)
        .filter((id) => !['', '.', '..'].includes(id))
        .map((id) => ({ path: percentEncode(id), expect: 404 })),
    },
    {
      weight: 2,
      arbitrary: fc
        .string({ unit: fc.constantFrom(...CROCKFORD), minLength: 26, maxLength: 26 })
        .map((ulid) => ({ path: `sar_${ulid}`, expect: 404 })),
    },
    {
      weight: 2,
      arbitrary: fc.nat(2).map((i) => ({ path: otherPartnersIds[i] as string, expect: 404 })),
    },
    { weight: 2, arbitrary: fc.nat(1).map((i) => ({ path: closedIds[i] as string, expect: 409 })) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('%', '%zz', '%E0%A4%A', '%ED%A0%80', '%C0%AF', '%FF', 'sar_%')
        .map((path) => ({ path, expect: 400 })),
    },
    // Dot segments resolve to another path that no route matches: 404 before the key is read.
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('..', '%2E%2E', '.%2e')
        .map((path) => ({ path, expect: 404, routeless: true })),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 1_000, max: 5_000 })
        .map((length) => ({ path: 'x'.repeat(length), expect: 404 })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('..%2F..%2Fhealth', 'sar_%2F..', '%00', 'REQUEST%23x', '*')
        .map((path) => ({ path, expect: 404 })),
    },
  );

  const pathCase = fc.record({
    auth: authorization,
    target: targetId,
    method: fc.oneof(
      { weight: 12, arbitrary: fc.constant('POST') },
      { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH') },
    ),
    body: fc.option(
      fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? ''),
      ),
      { nil: undefined },
    ),
    contentType: fc.option(
      fc.constantFrom(...VALID_CONTENT_TYPES, ...BROKEN_CONTENT_TYPES.filter(Boolean)),
      { nil: undefined },
    ),
    idempotency: idempotencyKey,
    headers: extraHeaders,
  });

  for (const action of ['cancel', 'resend'] as const) {
    it(`${action}: ${RUNS} odd ids, paths and headers get 401/404/405/409 and change nothing`, async () => {
      const before = await storeSnapshot(stack);
      await fc.assert(
        fc.asyncProperty(pathCase, async (c) => {
          tried[action] = (tried[action] ?? 0) + 1;
          const status =
            'routeless' in c.target
              ? 404
              : c.method !== 'POST'
                ? 405
                : c.auth.broken
                  ? 401
                  : c.target.expect;
          const request = {
            method: c.method,
            path: `/v1/smart-account-requests/${c.target.path}/${action}`,
            headers: {
              ...c.headers,
              ...(c.auth.broken ? c.auth.headers : { Authorization: `Bearer ${key}` }),
              ...(c.contentType ? { 'Content-Type': c.contentType } : {}),
              ...('value' in c.idempotency
                ? { 'Idempotency-Key': c.idempotency.value as string }
                : {}),
            },
            ...(c.body !== undefined && c.method !== 'GET' ? { body: c.body } : {}),
          };
          const response = await rawRequest(stack, request);
          expectOutcome(response, { status }, { ...request, path: request.path.slice(0, 200) });
        }),
        { numRuns: RUNS },
      );
      expect(await storeSnapshot(stack)).toEqual(before);
    });
  }
});

describe('generated bad corrections (PATCH)', () => {
  /** One bad part per case, named by the field the answer must report; the rest is valid. */
  const badPart = fc.oneof(
    fc.record({ field: fc.constant('accountName'), value: wellFormedText(20) }),
    fc.record({ field: fc.constant('accountDomain'), value: fc.constant('other.example') }),
    fc.record({
      field: fc.constantFrom('customerEmail', 'noteToCustomer', 'noteToUsers', 'locale'),
      // null clears a note; JSON drops undefined. Every other non-string is refused.
      value: notAString.filter((value) => value !== null && value !== undefined),
    }),
    fc.record({
      field: fc.constant('customerEmail'),
      value: fc.oneof(wellFormedText(30).filter((text) => !/^\S+@\S+\.\S+$/.test(text.trim()))),
    }),
    fc.record({
      field: fc.constantFrom('noteToCustomer', 'noteToUsers'),
      value: fc.oneof(
        fc.constantFrom('see https://evil.example/activate/x', 'www.evil.example', 'x://y'),
        fc.string({ minLength: 1001, maxLength: 1100 }),
      ),
    }),
    fc.record({ field: fc.constant('locale'), value: fc.constantFrom('de', 'EN', '', 'nl-NL') }),
    fc.record({
      field: fc.constant('userEmails'),
      value: fc.oneof(
        notAString.filter((value) => !Array.isArray(value)),
        fc.constant(['same@x.example', 'same@x.example']),
        fc.array(fc.constant('not-an-email'), { minLength: 1, maxLength: 3 }),
      ),
    }),
    fc.record({
      field: fc
        .stringMatching(/^[a-zA-Z_]{1,20}$/)
        .filter(
          (name) =>
            ![
              'customerEmail',
              'noteToCustomer',
              'userEmails',
              'noteToUsers',
              'locale',
              'accountName',
              'accountDomain',
              '__proto__',
            ].includes(name),
        ),
      value: fc.jsonValue({ maxDepth: 2 }),
    }),
  );
  const validPart = fc.option(
    fc.constantFrom({ locale: 'nl' }, { noteToUsers: 'Welkom.' }, { noteToCustomer: null }),
    { nil: undefined },
  );

  it(`${RUNS} bodies with a bad field each get a 400 naming it, and change nothing`, async () => {
    const body = validRequest();
    const id = (await partner.create(body)).body.id as string;
    await activationLink(stack, body.customerEmail);
    // The activation e-mail's timeline entry is written just after SES took the mail.
    await waitFor(async () => {
      const timeline = await partner.call('GET', `/v1/smart-account-requests/${id}/events`);
      return timeline.body?.items?.some((item: { type: string }) => item.type === 'email.sent');
    }, 'the activation e-mail in the timeline');
    const before = await storeSnapshot(stack);
    await fc.assert(
      fc.asyncProperty(badPart, validPart, async (bad, valid) => {
        tried.patch = (tried.patch ?? 0) + 1;
        const request = {
          method: 'PATCH',
          path: `/v1/smart-account-requests/${id}`,
          headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
          // The valid part never names the bad field: it would be overwritten, not added.
          body: JSON.stringify({
            ...(valid && !(bad.field in valid) ? valid : {}),
            [bad.field]: bad.value,
          }),
        };
        const response = await rawRequest(stack, request);
        expectOutcome(response, { status: 400, paths: [bad.field] }, request);
      }),
      { numRuns: RUNS },
    );
    expect(await storeSnapshot(stack)).toEqual(before);
  });
});

describe('generated bad batches', () => {
  /** A create body with one field made invalid (the field a single create would name). */
  const badItem = fc
    .oneof(
      fc.record({
        field: fc.constant('accountName'),
        value: fc.constantFrom('', '   ', 'x'.repeat(101)),
      }),
      fc.record({
        field: fc.constant('accountDomain'),
        value: fc.constantFrom('not a domain', 'https://x.example/', '10.0.0.1'),
      }),
      fc.record({
        field: fc.constant('customerEmail'),
        value: fc.oneof(notAString, fc.constantFrom('nope', 'a@', '@b.example')),
      }),
      fc.record({ field: fc.constant('locale'), value: fc.constantFrom('de', 'EN', 1) }),
      fc.record({
        field: fc.constantFrom('status', 'id', 'partnerId'),
        value: fc.jsonValue({ maxDepth: 1 }),
      }),
    )
    .map(({ field, value }) => ({ item: { ...validRequest(), [field]: value }, field }));
  const envelope = fc.oneof(
    fc.constant({ items: [] }),
    notAnObject,
    fc.record({ items: notAString.filter((value) => !Array.isArray(value)) }),
    fc.record({ items: fc.constant([{}]), extra: fc.jsonValue({ maxDepth: 1 }) }),
  );

  it(`${RUNS} batches: a bad envelope is a 400, each bad item its own 400 naming the field, and nothing is written`, async () => {
    const before = await storeSnapshot(stack);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          envelope.map((body) => ({ body, fields: undefined })),
          fc.array(badItem, { minLength: 1, maxLength: 4 }).map((items) => ({
            body: { items: items.map(({ item }) => item) },
            fields: items.map(({ field }) => field),
          })),
        ),
        async ({ body, fields }) => {
          tried.batch = (tried.batch ?? 0) + 1;
          const request = {
            method: 'POST',
            path: '/v1/smart-account-requests/batch',
            headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          };
          const response = await rawRequest(stack, request);
          if (!fields) {
            expectOutcome(response, { status: 400 }, request);
            return;
          }
          expect(response.status, response.text.slice(0, 300)).toBe(200);
          const items = JSON.parse(response.text).items as {
            status: number;
            problem: { errors?: { path: string }[]; errorId: string };
          }[];
          items.forEach((item, index) => {
            expect(item.status, JSON.stringify(item)).toBe(400);
            expect(item.problem.errorId).toEqual(expect.any(String));
            const paths = (item.problem.errors ?? []).map((error) => error.path);
            expect(
              paths.some((path) => path === fields[index] || path.startsWith(`${fields[index]}.`)),
            ).toBe(true);
          });
        },
      ),
      { numRuns: RUNS },
    );
    expect(await storeSnapshot(stack)).toEqual(before);
  });
});

describe('odd but valid input', () => {
  it('accepts well-formed Unicode edge cases in free text and returns exactly what it stored', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          // The generators count units, and one unit may be a multi-character edge case, so
          // the contract's character limits are applied here.
          accountName: wellFormedText(60).filter(
            (name) => name.trim().length > 0 && name.trim().length <= 100 && !/\p{Cc}/u.test(name),
          ),
          noteToCustomer: wellFormedText(300).filter((note) => note.length <= 1000),
          noteToUsers: wellFormedText(300).filter((note) => note.length <= 1000),
        }),
        async (fields) => {
          const created = await partner.create(validRequest(fields));
          expect(created.status, created.text).toBe(202);
          const stored = await partner.get(created.body.id);
          expect(stored.body).toEqual(created.body);
          expect(stored.body.accountName).toBe(fields.accountName.trim());
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses text that is not well-formed Unicode (a lone surrogate) instead of storing it', async () => {
    for (const field of ['accountName', 'noteToCustomer', 'noteToUsers']) {
      const response = await partner.create(validRequest({ [field]: `Acme \ud800 BV` }));
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([{ path: field, message: expect.any(String) }]);
    }
  });
});
