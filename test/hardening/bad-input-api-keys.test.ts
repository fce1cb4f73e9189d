import fc from 'fast-check';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '../../local/stack.ts';
import { partnerClient, startTestStack } from '../support/local-stack.ts';
import {
  controlCharacter,
  headerValue,
  notAnObject,
  notAString,
  percentEncode,
  serialize,
  wellFormedText,
  withInserted,
} from './generators.ts';
import { isProblem, type RawResponse, rawRequest, storeSnapshot } from './support.ts';

/**
 * Generated bad input on the API key routes: every case is invalid in at least one way, and the
 * property predicts the 4xx it gets (and the field the problem names) from the order the gateway
 * and the handlers check things in: route, method, key, size, media type, JSON, fields. Nothing
 * may be written: no key made, none revoked, not even lastUsedAt (the caller's key was used before
 * the snapshot, and is not written again within the hour).
 */

const RUNS = 1_000;
const tried = { create: 0, revoke: 0 };

let stack: RunningStack;
let key: string;
/** The caller's only key: revoking it is a 409. */
let ownKeyId: string;
/** Another partner's key: the caller gets 404 for it, as for any id that is not its own. */
let othersKeyId: string;

beforeAll(async () => {
  stack = await startTestStack();
  key = stack.partnerKeys[0] as string;
  const own = await partnerClient(stack, key).call('GET', '/v1/api-keys');
  ownKeyId = own.body.items[0].id;
  const other = partnerClient(stack, stack.partnerKeys[1]);
  othersKeyId = (await other.call('POST', '/v1/api-keys', { body: { label: 'Theirs' } })).body.id;
});

afterAll(async () => {
  console.info(`[hardening] generated API key inputs tried: ${JSON.stringify(tried)}`);
  await stack?.stop();
});

interface Expected {
  readonly status: number;
  /** A field path the problem's `errors` must name (400 only). */
  readonly path?: string;
}

const expectOutcome = (response: RawResponse, expected: Expected, what: unknown) => {
  const context = `${JSON.stringify(what).slice(0, 600)}\n→ ${response.status} ${response.text.slice(0, 400)}`;
  expect(response.status, context).toBe(expected.status);
  expect(isProblem(response), context).toBe(true);
  const problem = JSON.parse(response.text);
  expect(problem.status, context).toBe(expected.status);
  expect(problem.errorId, context).toEqual(expect.any(String));
  expect(response.text, context).not.toMatch(/sak_[A-Za-z0-9_-]{43}/);
  if (expected.path) {
    const paths: string[] = (problem.errors ?? []).map((error: { path: string }) => error.path);
    expect(paths, context).toContain(expected.path);
  }
};

// --- Generators -----------------------------------------------------------------------------

const brokenAuthorization = () =>
  fc.oneof(
    fc.constant<Record<string, string>>({}),
    fc.constant({ Authorization: '' }),
    fc.constant({ Authorization: 'Basic dXNlcjpwYXNzd29yZA==' }),
    headerValue(60).map((value) => ({ Authorization: `Bearer ${value}` })),
    fc.constantFrom('bearer', 'BEARER', 'Token').map((scheme) => ({
      Authorization: `${scheme} ${key}`,
    })),
    fc.constant(0).map(() => ({ Authorization: `Bearer ${key.slice(0, -1)}` })),
    fc.constant(0).map(() => ({ Authorization: key })),
  );

const authorization = fc.oneof(
  { weight: 9, arbitrary: fc.constant({ broken: false as const }) },
  {
    weight: 1,
    arbitrary: fc
      .constant(0)
      .chain(() => brokenAuthorization().map((headers) => ({ broken: true as const, headers }))),
  },
);

const extraHeaders = fc.dictionary(
  fc.constantFrom('X-Forwarded-For', 'Origin', 'Accept', 'User-Agent', 'X-Api-Key', 'Cookie'),
  headerValue(120),
  { maxKeys: 3 },
);

/** A label that is invalid in one way, each with the message's path. */
const badLabel: fc.Arbitrary<unknown> = fc.oneof(
  notAString,
  fc.constantFrom('', ' ', '   ', '\t\n', '\u2028\ufeff', '\u00a0'),
  fc.integer({ min: 101, max: 2_000 }).map((length) => 'K'.repeat(length)),
  fc.integer({ min: 101, max: 400 }).map((length) => `  ${'é'.repeat(length)}  `),
  controlCharacter.map((character) => `CRM${character}prod`),
  withInserted('CRM integration', ['\u0000', '\r', '\n', '\r\nBcc: x@evil.example', '\u007f']),
  fc.constantFrom('CRM\ud800', '\udfffCRM', 'a\udc00b'),
);

const unknownField = fc
  .oneof(
    wellFormedText(12),
    fc.constantFrom('key', 'id', 'prefix', 'partnerId', 'keyHash', '__proto__', 'Label'),
  )
  .filter((name) => name !== 'label');

/** A create body and what it must get: each bad in exactly one predictable way. */
const badBody = fc.oneof(
  badLabel.map((label) => ({ body: serialize({ label }), status: 400, path: 'label' })),
  fc.constant({ body: '{}', status: 400, path: 'label' }),
  unknownField.map((name) => ({
    body: serialize({ label: 'CRM', [name]: 'x' }),
    status: 400,
    path: name,
  })),
  notAnObject.map((value) => ({ body: serialize(value), status: 400, path: '(body)' })),
  fc
    .constantFrom('{', '{"label":', '{"label":"CRM"', "{'label':'CRM'}", 'label=CRM', '\u0000')
    .map((body) => ({ body, status: 400, path: '(body)' })),
  fc
    .integer({ min: 64 * 1024 + 1, max: 200_000 })
    .map((size) => ({ body: JSON.stringify({ label: 'x'.repeat(size) }), status: 413 })),
);

const contentType = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON')
      .map((value) => ({ value, broken: false })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(undefined, '', 'text/plain', 'application/x-www-form-urlencoded', 'text/json')
      .map((value) => ({ value, broken: true })),
  },
);

const createCase = fc.record({
  auth: authorization,
  method: fc.oneof(
    { weight: 12, arbitrary: fc.constant('POST') },
    { weight: 1, arbitrary: fc.constantFrom('PUT', 'PATCH', 'DELETE') },
  ),
  body: badBody,
  contentType,
  headers: extraHeaders,
});

/** An id for DELETE /v1/api-keys/{id}, as sent in the path, and what it must get. */
const targetId = fc.oneof(
  {
    weight: 4,
    arbitrary: wellFormedText(30)
      // Only dots would be dot segments: another path, which no route matches.
      .filter((text) => text.length > 0 && !/^\.+$/.test(text))
      .map((text) => ({ path: percentEncode(text), expect: 404 })),
  },
  {
    weight: 3,
    arbitrary: fc
      .integer({ min: 0, max: 2 ** 40 })
      .map((time) => ({ path: `key_${ulid(time)}`, expect: 404 })),
  },
  { weight: 2, arbitrary: fc.constant(0).map(() => ({ path: othersKeyId, expect: 404 })) },
  { weight: 2, arbitrary: fc.constant(0).map(() => ({ path: ownKeyId, expect: 409 })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        'sar_01KBXQ5ZC0YJ3S5V3W0T8N2M4P',
        'whe_01KBXQ5ZC0YJ3S5V3W0T8N2M4P',
        'key_',
        'KEY_x',
      )
      .map((path) => ({ path, expect: 404 })),
  },
  {
    weight: 1,
    arbitrary: fc.constant(0).map(() => ({ path: `${ownKeyId.toLowerCase()}`, expect: 404 })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('%', '%zz', '%E0%A4%A', '%ED%A0%80', '%C0%AF', '%FF', 'key_%')
      .map((path) => ({ path, expect: 400 })),
  },
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
      .map((length) => ({ path: 'k'.repeat(length), expect: 404 })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('..%2F..%2Fhealth', 'key_%2F..', '%00', 'APIKEY%23x', '*')
      .map((path) => ({ path, expect: 404 })),
  },
);

const revokeCase = fc.record({
  auth: authorization,
  target: targetId,
  method: fc.oneof(
    { weight: 12, arbitrary: fc.constant('DELETE') },
    { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH') },
  ),
  body: fc.option(
    fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value) ?? ''),
    {
      nil: undefined,
    },
  ),
  headers: extraHeaders,
});

describe('generated bad input on the API key routes', () => {
  it(`create: ${RUNS} bad bodies, methods, media types and keys each get the predicted 4xx and write nothing`, async () => {
    const before = await storeSnapshot(stack);
    await fc.assert(
      fc.asyncProperty(createCase, async (c) => {
        tried.create += 1;
        const status =
          c.method !== 'POST'
            ? 405
            : c.auth.broken
              ? 401
              : c.body.status === 413
                ? 413
                : c.contentType.broken
                  ? 415
                  : c.body.status;
        const request = {
          method: c.method,
          path: '/v1/api-keys',
          headers: {
            ...c.headers,
            ...(c.auth.broken ? c.auth.headers : { Authorization: `Bearer ${key}` }),
            ...(c.contentType.value === undefined ? {} : { 'Content-Type': c.contentType.value }),
          },
          body: c.body.body,
        };
        const response = await rawRequest(stack, request);
        expectOutcome(
          response,
          status === 400 && 'path' in c.body ? { status, path: c.body.path } : { status },
          { ...request, body: request.body.slice(0, 200) },
        );
      }),
      { numRuns: RUNS },
    );
    expect(await storeSnapshot(stack)).toEqual(before);
  });

  it(`revoke: ${RUNS} odd ids, paths, methods and keys get 400/401/404/405/409 and revoke nothing`, async () => {
    const before = await storeSnapshot(stack);
    await fc.assert(
      fc.asyncProperty(revokeCase, async (c) => {
        tried.revoke += 1;
        const status =
          'routeless' in c.target
            ? 404
            : c.method !== 'DELETE'
              ? 405
              : c.auth.broken
                ? 401
                : c.target.expect;
        const request = {
          method: c.method,
          path: `/v1/api-keys/${c.target.path}`,
          headers: {
            ...c.headers,
            ...(c.auth.broken ? c.auth.headers : { Authorization: `Bearer ${key}` }),
            ...(c.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          ...(c.body !== undefined && c.method !== 'GET' ? { body: c.body } : {}),
        };
        const response = await rawRequest(stack, request);
        expectOutcome(response, { status }, { ...request, path: request.path.slice(0, 200) });
      }),
      { numRuns: RUNS },
    );
    expect(await storeSnapshot(stack)).toEqual(before);
    // The keys still work as before: the caller's only key, and the other partner's.
    expect((await partnerClient(stack, key).call('GET', '/v1/api-keys')).body.items).toHaveLength(
      1,
    );
  });
});
