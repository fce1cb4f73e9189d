import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FORM_BYTES } from '../../functions/http/request-body.ts';
import type { RunningStack } from '../../local/stack.ts';
import { createPending, type Pending } from '../support/customer.ts';
import {
  type PartnerClient,
  partnerClient,
  startTestStack,
  waitFor,
} from '../support/local-stack.ts';
import { headerValue, percentEncode, wellFormedText } from './generators.ts';
import {
  clientAddress,
  isPage,
  isProblem,
  type RawResponse,
  rawRequest,
  storeSnapshot,
} from './support.ts';

/**
 * Generated bad input on the public activation routes. Every case comes from its own client
 * address (the routes count misses per client), so the property exercises the pages rather
 * than the rate limit. Each answer is an HTML page with the strict headers (or the gateway's
 * 400 for an undecodable path), its status is the one predicted from the order the handler
 * checks things in, and no request changes.
 */

const RUNS = 1_000;
const tried = { get: 0, post: 0 };
let nextClient = 0;

let stack: RunningStack;
let partner: PartnerClient;
let ours: string;
let pending: Pending[];
let cancelled: Pending;

beforeAll(async () => {
  stack = await startTestStack();
  partner = partnerClient(stack, stack.partnerKeys[0]);
  ours = new URL(stack.apiUrl).origin;
  pending = [await createPending(stack, partner), await createPending(stack, partner)];
  cancelled = await createPending(stack, partner);
  expect((await partner.cancel(cancelled.id)).status).toBe(200);
  await waitFor(
    async () =>
      (await storeSnapshot(stack)).items.some((item) =>
        item.includes('"notifiedStatus":"CANCELLED"'),
      ),
    'the cancellation to settle',
  );
});

afterAll(async () => {
  console.info(`[hardening] generated activation inputs tried: ${JSON.stringify(tried)}`);
  await stack?.stop();
});

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const CODE = /^[A-Za-z0-9_-]{43}$/;

type Target =
  | { readonly kind: 'pending' | 'cancelled'; readonly index: number }
  | { readonly kind: 'unknown'; readonly path: string }
  | { readonly kind: 'undecodable'; readonly path: string };

const realCode = (target: Target): Pending | undefined =>
  target.kind === 'pending'
    ? pending[target.index]
    : target.kind === 'cancelled'
      ? cancelled
      : undefined;

/** The code the handler sees for a target (path decoded as the gateway does). */
const codeOf = (target: Target): string =>
  target.kind === 'unknown' || target.kind === 'undecodable'
    ? safeDecode(target.path)
    : (realCode(target) as Pending).code;

const safeDecode = (path: string): string => {
  try {
    return decodeURIComponent(path);
  } catch {
    return '';
  }
};

const mutatedRealCode = fc
  .tuple(fc.nat(1), fc.nat(42), fc.constantFrom('flip-case', 'drop', 'append', 'swap'))
  .map(([index, at, how]) => () => {
    const code = (pending[index] as Pending).code;
    const character = code[at] as string;
    const changed =
      how === 'flip-case'
        ? character.toLowerCase() === character
          ? character.toUpperCase()
          : character.toLowerCase()
        : character;
    if (how === 'drop') return code.slice(0, at) + code.slice(at + 1);
    if (how === 'append') return `${code}A`;
    if (how === 'swap')
      return code.slice(0, at) + (character === 'A' ? 'B' : 'A') + code.slice(at + 1);
    return changed === character ? `${code}x` : code.slice(0, at) + changed + code.slice(at + 1);
  });

const target: fc.Arbitrary<Target> = fc.oneof(
  { weight: 2, arbitrary: fc.nat(1).map((index): Target => ({ kind: 'pending', index })) },
  { weight: 1, arbitrary: fc.constant<Target>({ kind: 'cancelled', index: 0 }) },
  {
    weight: 3,
    arbitrary: fc
      .string({ unit: fc.constantFrom(...BASE64URL), minLength: 43, maxLength: 43 })
      .map((path): Target => ({ kind: 'unknown', path })),
  },
  {
    weight: 3,
    arbitrary: wellFormedText(50)
      .filter((text) => !['', '.', '..'].includes(text))
      .map((text): Target => ({ kind: 'unknown', path: percentEncode(text) })),
  },
  {
    weight: 2,
    arbitrary: mutatedRealCode.map((code): Target => ({ kind: 'unknown', path: code() })),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 44, max: 5_000 })
      .map((length): Target => ({ kind: 'unknown', path: 'A'.repeat(length) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('%', '%zz', '%E0%A4%A', '%ED%A0%80', '%C0%AF', '%FF', `${'A'.repeat(42)}%`)
      .map((path): Target => ({ kind: 'undecodable', path })),
  },
);

const pathOf = (t: Target): string =>
  t.kind === 'unknown' || t.kind === 'undecodable' ? t.path : (realCode(t) as Pending).code;

const noiseHeaders = fc.dictionary(
  fc.constantFrom(
    'Accept',
    'Accept-Language',
    'Cookie',
    'User-Agent',
    'X-Forwarded-For',
    'Referer',
    'Upgrade-Insecure-Requests',
  ),
  headerValue(80),
  { maxKeys: 3 },
);

const expectPage = (response: RawResponse, status: number, head: boolean, context: string) => {
  expect(response.status, context).toBe(status);
  expect(isPage(response), context).toBe(true);
  expect(response.headers['referrer-policy'], context).toBe('no-referrer');
  expect(response.headers['cache-control'], context).toBe('no-store');
  if (head) expect(response.text, context).toBe('');
  else expect(response.text.startsWith('<!DOCTYPE html>'), context).toBe(true);
};

const expectNothingChanged = async (before: Awaited<ReturnType<typeof storeSnapshot>>) => {
  expect(await storeSnapshot(stack)).toEqual(before);
  for (const request of pending) {
    expect((await partner.get(request.id)).body.status).toBe('PENDING_ACTIVATION');
  }
};

describe('generated bad input on the activation routes', () => {
  it(`GET/HEAD: ${RUNS} odd codes and headers get an HTML page (404 unless the code is real) and change nothing`, async () => {
    const before = await storeSnapshot(stack);
    await fc.assert(
      fc.asyncProperty(
        target,
        fc.constantFrom('GET', 'GET', 'GET', 'HEAD'),
        noiseHeaders,
        async (t, method, headers) => {
          tried.get += 1;
          const response = await rawRequest(stack, {
            method,
            path: `/activate/${pathOf(t)}`,
            headers,
            localAddress: clientAddress(nextClient++),
          });
          const context = `${method} /activate/${pathOf(t).slice(0, 80)} → ${response.status}`;
          if (t.kind === 'undecodable') {
            expect(response.status, context).toBe(400);
            if (method === 'GET') expect(isProblem(response), context).toBe(true);
            return;
          }
          expectPage(response, t.kind === 'unknown' ? 404 : 200, method === 'HEAD', context);
        },
      ),
      { numRuns: RUNS },
    );
    await expectNothingChanged(before);
  });

  const FOREIGN_ORIGINS = [
    'https://evil.example',
    'http://evil.example',
    'http://127.0.0.1',
    'http://localhost',
    'HTTP://127.0.0.1',
    'file://',
    'chrome-extension://abcdefghijklmnop',
  ];
  const origin = fc.oneof(
    { weight: 3, arbitrary: fc.constant<string | undefined>(undefined) },
    { weight: 3, arbitrary: fc.constant(0).map(() => ours as string | undefined) },
    { weight: 1, arbitrary: fc.constantFrom<string | undefined>('null', '') },
    {
      weight: 3,
      arbitrary: fc.oneof(
        fc.constantFrom(...FOREIGN_ORIGINS),
        fc.constant(0).map(() => `${ours}/`),
        fc.constant(0).map(() => `${ours}.evil.example`),
        fc.constant(0).map(() => ours.replace('http://', 'https://')),
        fc.constant(0).map(() => ours.replace(/:\d+$/, ':1')),
        headerValue(60),
      ),
    },
  );
  const fetchSite = fc.oneof(
    { weight: 6, arbitrary: fc.constant<string | undefined>(undefined) },
    { weight: 2, arbitrary: fc.constantFrom<string | undefined>('same-origin', 'none') },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.constantFrom('cross-site', 'same-site', '', 'SAME-ORIGIN'),
        headerValue(15),
      ),
    },
  );

  const formBody = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        decision: fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom('activate', 'decline') },
          {
            weight: 2,
            arbitrary: fc.oneof(
              fc.constantFrom(
                'ACTIVATE',
                'activate ',
                ' decline',
                'activate\u0000',
                'approve',
                '',
                'activate,decline',
                'décline',
              ),
              wellFormedText(12),
            ),
          },
        ),
        // What the form of an older page version posted: ignored, it must change nothing.
        staleCsrf: fc.option(wellFormedText(43), { nil: undefined }),
        duplicateDecision: fc.option(fc.constantFrom('activate', 'decline', 'approve'), {
          nil: undefined,
        }),
        extra: fc.option(fc.tuple(wellFormedText(8), wellFormedText(20)), { nil: undefined }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc
        .oneof(
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
        )
        .map((raw) => ({ raw })),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 4_097, max: 20_000 })
        .map((length) => ({ raw: `decision=activate&pad=${'x'.repeat(length)}` })),
    },
  );
  const contentType = fc.option(
    fc.constantFrom(
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json',
      'text/plain',
      '',
    ),
    { nil: undefined },
  );

  it(`POST: ${RUNS} odd codes, forms and Origin headers are refused with a 4xx page and decide nothing`, async () => {
    const before = await storeSnapshot(stack);
    await fc.assert(
      fc.asyncProperty(
        target,
        origin,
        fetchSite,
        formBody,
        contentType,
        noiseHeaders,
        async (t, o, site, form, type, headers) => {
          const code = codeOf(t);
          let body: string;
          let decision = '';
          if ('raw' in form) {
            body = form.raw;
            decision = new URLSearchParams(body).get('decision') ?? '';
          } else {
            const fields = new URLSearchParams();
            fields.append('decision', form.decision);
            if (form.duplicateDecision) fields.append('decision', form.duplicateDecision);
            if (form.staleCsrf !== undefined) fields.append('csrf', form.staleCsrf);
            if (form.extra) fields.append(...form.extra);
            body = fields.toString();
            decision = form.decision;
          }
          // HTTP drops a header value's surrounding spaces and tabs (not other white space),
          // so the server sees it trimmed that way.
          const sentOrigin = o?.replace(/^[ \t]+|[ \t]+$/g, '');
          const sentSite = site?.replace(/^[ \t]+|[ \t]+$/g, '');
          const ownOrigin = !sentOrigin || sentOrigin === 'null' || sentOrigin === ours;
          const ownSite =
            sentSite === undefined || sentSite === 'same-origin' || sentSite === 'none';
          const refusedSite = !(ownOrigin && ownSite);
          const validDecision = decision === 'activate' || decision === 'decline';
          const tooLarge = Buffer.byteLength(body) > MAX_FORM_BYTES;
          // A real code, our own origin and a valid decision would decide (or show the request
          // closed): not bad input.
          fc.pre(
            refusedSite || !CODE.test(code) || tooLarge || !validDecision || t.kind === 'unknown',
          );
          tried.post += 1;

          const response = await rawRequest(stack, {
            method: 'POST',
            path: `/activate/${pathOf(t)}`,
            headers: {
              ...headers,
              ...(o !== undefined ? { Origin: o } : {}),
              ...(site !== undefined ? { 'Sec-Fetch-Site': site } : {}),
              ...(type !== undefined ? { 'Content-Type': type } : {}),
            },
            body,
            localAddress: clientAddress(nextClient++),
          });
          const context = `POST /activate/${pathOf(t).slice(0, 60)} origin=${o} site=${site} body=${body.slice(0, 120)} → ${response.status} ${response.text.match(/<h1>(.*)<\/h1>/)?.[1]}`;
          if (t.kind === 'undecodable') {
            expect(response.status, context).toBe(400);
            expect(isProblem(response), context).toBe(true);
            return;
          }
          // The form is read before the code is looked up (functions/activation/decide-activation.ts).
          const status = refusedSite ? 403 : tooLarge ? 413 : !validDecision ? 400 : 404;
          expectPage(response, status, false, context);
        },
      ),
      { numRuns: RUNS },
    );
    await expectNothingChanged(before);
  });
});
