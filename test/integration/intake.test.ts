import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '../../local/stack.ts';
import {
  executionStatus,
  mailTo,
  type PartnerClient,
  partnerClient,
  sentMail,
  startTestStack,
  validRequest,
  waitFor,
} from '../support/local-stack.ts';

let stack: RunningStack;
let partner: PartnerClient;
let otherPartner: PartnerClient;

beforeAll(async () => {
  stack = await startTestStack();
  partner = partnerClient(stack, stack.partnerKeys[0]);
  otherPartner = partnerClient(stack, stack.partnerKeys[1]);
});

afterAll(async () => {
  await stack?.stop();
});

const expectProblem = (
  response: { status: number; headers: Headers; body: unknown },
  status: number,
) => {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.body).toMatchObject({
    status,
    errorId: expect.any(String),
    title: expect.any(String),
  });
};

/** Everything the partner can see, and every mail, for proving a rejected call wrote nothing. */
const snapshot = async () => ({
  requests: (await partner.list('?limit=100')).body.items.length,
  otherRequests: (await otherPartner.list('?limit=100')).body.items.length,
  mails: (await sentMail(stack)).length,
});

describe('authentication', () => {
  it.each([
    ['no Authorization header', undefined],
    ['an unknown key', 'sak_unknown_key_0000000000000000'],
  ])('answers 401 problem+json for %s', async (_case, key) => {
    const response = await partnerClient(stack, key).list();
    expectProblem(response, 401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('answers 401 for a malformed Authorization header', async () => {
    const response = await partner.call('GET', '/v1/smart-account-requests', {
      headers: { Authorization: 'Basic dXNlcjpwYXNz' },
    });
    expectProblem(response, 401);
  });
});

describe('creating a request', () => {
  it('accepts a request, starts its execution and mails the customer an activation link', async () => {
    const body = validRequest();
    const response = await partner.create(body);
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({
      id: expect.stringMatching(/^sar_[0-9A-Z]{26}$/),
      status: 'PENDING_ACTIVATION',
      accountName: 'Acme BV',
      accountDomain: body.accountDomain,
      customerEmail: body.customerEmail,
      userEmails: body.userEmails,
      locale: 'en',
      activatedAt: null,
      closedAt: null,
      history: [{ status: 'PENDING_ACTIVATION', at: response.body.createdAt }],
    });
    expect(response.headers.get('location')).toBe(
      `${stack.apiUrl}/v1/smart-account-requests/${response.body.id}`,
    );
    const days =
      (Date.parse(response.body.expiresAt) - Date.parse(response.body.createdAt)) / 86_400_000;
    expect(days).toBe(90);
    expect(Object.keys(response.body)).not.toEqual(
      expect.arrayContaining(['taskToken', 'codeHash', 'codeNonce', 'partnerId']),
    );

    expect(await executionStatus(stack, response.body.id)).toBe('RUNNING');
    const mails = await waitFor(async () => {
      const found = await mailTo(stack, body.customerEmail);
      return found.length ? found : undefined;
    }, 'the activation e-mail');
    expect(mails).toHaveLength(1);
    expect(mails[0]?.body.text).toMatch(new RegExp(`${stack.apiUrl}/activate/[A-Za-z0-9_-]{43}`));
    expect(mails[0]?.subject).toContain(body.accountDomain);

    const fetched = await partner.get(response.body.id);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(response.body);
  });

  it('normalizes the domain, addresses and notes', async () => {
    const base = validRequest();
    const response = await partner.create({
      ...base,
      accountName: '  Acme  BV ',
      accountDomain: `  ${base.accountDomain.toUpperCase()}. `,
      customerEmail: ` IT@${base.accountDomain.toUpperCase()} `,
      noteToCustomer: '   ',
      locale: 'nl',
    });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({
      accountName: 'Acme  BV',
      accountDomain: base.accountDomain,
      customerEmail: `it@${base.accountDomain}`,
      noteToCustomer: null,
      locale: 'nl',
    });
  });

  it('reviews a request with dryRun=true without writing or mailing anything', async () => {
    const before = await snapshot();
    const body = validRequest({ accountDomain: 'Review.Example' });
    const response = await partner.call('POST', '/v1/smart-account-requests?dryRun=true', { body });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: null,
      status: 'PENDING_ACTIVATION',
      accountDomain: 'review.example',
    });
    expect(await snapshot()).toEqual(before);
    // The domain is still free: the review reserved nothing.
    expect((await partner.create({ ...body, accountDomain: 'review.example' })).status).toBe(202);
  });

  it('refuses a second live request for a domain, whatever its case and whoever asks', async () => {
    const body = validRequest();
    expect((await partner.create(body)).status).toBe(202);
    const again = await partner.create({
      ...body,
      accountDomain: body.accountDomain.toUpperCase(),
    });
    expectProblem(again, 409);
    expect(again.body.detail).toContain(body.accountDomain);
    expectProblem(await otherPartner.create(body), 409);
  });
});

describe('rejecting bad input', () => {
  const tooLongNote = 'x'.repeat(1001);
  const cases: [string, Record<string, unknown>, string][] = [
    ['a missing account name', { accountName: undefined }, 'accountName'],
    ['an empty account name', { accountName: '   ' }, 'accountName'],
    ['an account name over 100 characters', { accountName: 'a'.repeat(101) }, 'accountName'],
    ['an account name with a line break', { accountName: 'Acme\r\nBcc: x@y.z' }, 'accountName'],
    ['an account name of the wrong type', { accountName: 42 }, 'accountName'],
    ['a domain given as a URL', { accountDomain: 'https://acme.example' }, 'accountDomain'],
    ['a domain with a space', { accountDomain: 'acme .example' }, 'accountDomain'],
    ['a domain with an empty label', { accountDomain: 'acme..example' }, 'accountDomain'],
    ['a domain label with a leading hyphen', { accountDomain: '-acme.example' }, 'accountDomain'],
    ['a domain label with a trailing hyphen', { accountDomain: 'acme-.example' }, 'accountDomain'],
    ['a single-label domain', { accountDomain: 'localhost' }, 'accountDomain'],
    ['an IP address as domain', { accountDomain: '10.0.0.1' }, 'accountDomain'],
    ['an invalid customer e-mail', { customerEmail: 'not-an-address' }, 'customerEmail'],
    [
      'a customer e-mail carrying a header',
      { customerEmail: 'a@b.example\r\nBcc: c@d.example' },
      'customerEmail',
    ],
    ['a note over 1000 characters', { noteToCustomer: tooLongNote }, 'noteToCustomer'],
    ['a user note over 1000 characters', { noteToUsers: tooLongNote }, 'noteToUsers'],
    ['a user e-mail that is invalid', { userEmails: ['ok@acme.example', 'nope'] }, 'userEmails.1'],
    [
      'a user e-mail listed twice',
      { userEmails: ['a@acme.example', 'A@acme.example'] },
      'userEmails.1',
    ],
    [
      'more than 50 user e-mails',
      { userEmails: Array.from({ length: 51 }, (_, i) => `u${i}@acme.example`) },
      'userEmails',
    ],
    ['user e-mails that are not a list', { userEmails: 'a@acme.example' }, 'userEmails'],
    ['an unsupported locale', { locale: 'de' }, 'locale'],
    ['an unknown field', { partnerId: 'someone-else' }, 'partnerId'],
  ];

  it.each(cases)(
    'answers 400 with a field error for %s and writes nothing',
    async (_case, change, path) => {
      const before = await snapshot();
      const response = await partner.create({ ...validRequest(), ...change });
      expectProblem(response, 400);
      expect(response.body.errors).toEqual(
        expect.arrayContaining([{ path, message: expect.any(String) }]),
      );
      expect(await snapshot()).toEqual(before);
    },
  );

  it('reports every bad field at once', async () => {
    const response = await partner.create({
      accountName: '',
      accountDomain: 'x',
      customerEmail: 'y',
    });
    expectProblem(response, 400);
    expect(response.body.errors.map((error: { path: string }) => error.path).sort()).toEqual([
      'accountDomain',
      'accountName',
      'customerEmail',
    ]);
  });

  it('answers 400 for a body that is not valid JSON', async () => {
    const response = await partner.call('POST', '/v1/smart-account-requests', {
      rawBody: '{"accountName": ',
      headers: { 'Content-Type': 'application/json' },
    });
    expectProblem(response, 400);
  });

  it.each([
    ['a JSON array', '[]'],
    ['a JSON string', '"acme"'],
    ['null', 'null'],
  ])('answers 400 for %s as body', async (_case, rawBody) => {
    const response = await partner.call('POST', '/v1/smart-account-requests', {
      rawBody,
      headers: { 'Content-Type': 'application/json' },
    });
    expectProblem(response, 400);
  });

  it('answers 415 for a body that is not JSON', async () => {
    const before = await snapshot();
    const response = await partner.call('POST', '/v1/smart-account-requests', {
      rawBody: 'accountName=Acme',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expectProblem(response, 415);
    expect(await snapshot()).toEqual(before);
  });

  it('answers 413 for a body over 64 KiB', async () => {
    const before = await snapshot();
    const response = await partner.call('POST', '/v1/smart-account-requests', {
      rawBody: JSON.stringify({ ...validRequest(), padding: 'x'.repeat(65 * 1024) }),
      headers: { 'Content-Type': 'application/json' },
    });
    expectProblem(response, 413);
    expect(await snapshot()).toEqual(before);
  });

  // A partner who meant to review must never create (and mail the customer) by accident.
  it.each(['dryRun=maybe', 'dryRun', 'dryRun=', 'dryRun=1', 'dryRun=yes'])(
    'answers 400 for ?%s and creates nothing',
    async (query) => {
      const before = await snapshot();
      const response = await partner.call('POST', `/v1/smart-account-requests?${query}`, {
        body: validRequest(),
      });
      expectProblem(response, 400);
      expect(response.body.errors).toEqual([{ path: 'dryRun', message: expect.any(String) }]);
      expect(await snapshot()).toEqual(before);
    },
  );
});

describe('Idempotency-Key', () => {
  it('replays the first response for the same key and body and creates nothing twice', async () => {
    const body = validRequest();
    const headers = { 'Idempotency-Key': `create-${body.accountDomain}` };
    const first = await partner.create(body, headers);
    const second = await partner.create(body, headers);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    await waitFor(
      async () => (await mailTo(stack, body.customerEmail)).length > 0,
      'activation mail',
    );
    const listed = (await partner.list('?limit=100')).body.items.filter(
      (item: { accountDomain: string }) => item.accountDomain === body.accountDomain,
    );
    expect(listed).toHaveLength(1);
    expect(await mailTo(stack, body.customerEmail)).toHaveLength(1);
  });

  it('answers 422 when the key is reused with another body', async () => {
    const body = validRequest();
    const headers = { 'Idempotency-Key': `reuse-${body.accountDomain}` };
    expect((await partner.create(body, headers)).status).toBe(202);
    const reused = await partner.create({ ...body, accountName: 'Another name' }, headers);
    expectProblem(reused, 422);
  });

  it('keeps keys per partner', async () => {
    const headers = { 'Idempotency-Key': `shared-key-${process.pid}` };
    const mine = await partner.create(validRequest(), headers);
    const theirs = await otherPartner.create(validRequest(), headers);
    expect(mine.status).toBe(202);
    expect(theirs.status).toBe(202);
    expect(theirs.body.id).not.toBe(mine.body.id);
  });
});

describe('partner isolation', () => {
  it("answers 404 for another partner's request on get, cancel and resend, exactly as for an unknown id", async () => {
    const created = await partner.create(validRequest());
    const id = created.body.id;
    for (const response of [
      await otherPartner.get(id),
      await otherPartner.cancel(id),
      await otherPartner.resend(id),
      await partner.get('sar_01J00000000000000000000000'),
    ]) {
      expectProblem(response, 404);
    }
    expect((await partner.get(id)).body.status).toBe('PENDING_ACTIVATION');
  });

  it("never lists another partner's requests, nor follows another partner's cursor", async () => {
    const created = await partner.create(validRequest());
    const theirs = await otherPartner.list('?limit=100');
    expect(theirs.body.items.map((item: { id: string }) => item.id)).not.toContain(created.body.id);
    const mine = await partner.list('?limit=1');
    expect(mine.body.nextCursor).toEqual(expect.any(String));
    const stolen = await otherPartner.list(`?limit=1&cursor=${mine.body.nextCursor}`);
    expectProblem(stolen, 400);
    expect(stolen.body.errors).toEqual([{ path: 'cursor', message: expect.any(String) }]);
  });
});

describe('cancelling', () => {
  it('cancels a pending request, ends its execution and frees the domain', async () => {
    const body = validRequest();
    const created = await partner.create(body);
    await waitFor(
      async () => (await mailTo(stack, body.customerEmail)).length > 0,
      'activation mail',
    );
    const cancelled = await partner.cancel(created.body.id);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      id: created.body.id,
      status: 'CANCELLED',
      closedAt: expect.any(String),
    });
    expect(cancelled.body.history.map((change: { status: string }) => change.status)).toEqual([
      'PENDING_ACTIVATION',
      'CANCELLED',
    ]);
    await waitFor(
      async () => (await executionStatus(stack, created.body.id)) === 'SUCCEEDED',
      'execution end',
    );

    expectProblem(await partner.cancel(created.body.id), 409);
    const again = await partner.create(body);
    expect(again.status).toBe(202);
    expect(again.body.id).not.toBe(created.body.id);
  });

  it('answers 404 when cancelling an unknown request', async () => {
    expectProblem(await partner.cancel('sar_does_not_exist'), 404);
  });
});

describe('listing', () => {
  it('pages newest first without overlap or gaps', async () => {
    const lister = partnerClient(stack, stack.partnerKeys[1]);
    const existing = (await lister.list('?limit=100')).body.items.length;
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await lister.create(validRequest())).body.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await lister.list(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items.map((item: { id: string }) => item.id));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 20);
    expect(seen).toHaveLength(existing + 7);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(0, 7)).toEqual([...ids].reverse());
  });

  it('filters by status', async () => {
    const created = await partner.create(validRequest());
    await partner.cancel(created.body.id);
    const cancelled = await partner.list('?status=CANCELLED&limit=100');
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.items.length).toBeGreaterThan(0);
    expect(
      cancelled.body.items.every((item: { status: string }) => item.status === 'CANCELLED'),
    ).toBe(true);
    expect(cancelled.body.items.map((item: { id: string }) => item.id)).toContain(created.body.id);
  });

  it('finds requests by domain, customer address and expiry as a partner types them', async () => {
    const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const first = await partner.create(
      validRequest({
        accountDomain: `find-${tag}.example`,
        customerEmail: `pat-${tag}@acme.example`,
      }),
    );
    const second = await partner.create(validRequest({ customerEmail: `pat-${tag}@acme.example` }));
    expect([first.status, second.status]).toEqual([202, 202]);
    const ids = async (query: string) => {
      const page = await partner.list(query);
      expect(page.status).toBe(200);
      return page.body.items.map((item: { id: string }) => item.id);
    };

    expect(await ids(`?accountDomain=FIND-${tag}.Example`)).toEqual([first.body.id]);
    expect(await ids(`?customerEmail=PAT-${tag}@Acme.Example`)).toEqual([
      second.body.id,
      first.body.id,
    ]);
    expect(
      await ids(`?customerEmail=pat-${tag}@acme.example&accountDomain=find-${tag}.example`),
    ).toEqual([first.body.id]);
    // Another partner's list has neither.
    expect((await otherPartner.list(`?customerEmail=pat-${tag}@acme.example`)).body.items).toEqual(
      [],
    );

    const soon = new Date(Date.parse(first.body.expiresAt) + 1000).toISOString();
    const extended = await partner.call(
      'POST',
      `/v1/smart-account-requests/${first.body.id}/extend`,
      {
        body: { expiresAt: new Date(Date.parse(first.body.expiresAt) + 86_400_000).toISOString() },
      },
    );
    expect(extended.status).toBe(200);
    const pendingSoon = await ids(
      `?status=PENDING_ACTIVATION&expiresBefore=${encodeURIComponent(soon)}&limit=100`,
    );
    expect(pendingSoon).toContain(second.body.id);
    expect(pendingSoon).not.toContain(first.body.id);
  });

  it('defaults to 25 items and treats empty parameters as absent', async () => {
    const response = await partner.list('?status=&limit=&cursor=');
    expect(response.status).toBe(200);
    expect(response.body.items.length).toBeLessThanOrEqual(25);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['status=UNKNOWN', 'status'],
    ['cursor=not-a-cursor', 'cursor'],
    ['sort=asc', 'sort'],
    ['accountDomain=no_dots', 'accountDomain'],
    ['customerEmail=pat', 'customerEmail'],
    ['expiresBefore=tomorrow', 'expiresBefore'],
  ])('answers 400 for %s', async (query, path) => {
    const response = await partner.list(`?${query}`);
    expectProblem(response, 400);
    expect(response.body.errors).toEqual([{ path, message: expect.any(String) }]);
  });
});

describe('counting', () => {
  const STATUSES = ['PENDING_ACTIVATION', 'ACTIVE', 'DECLINED', 'CANCELLED', 'EXPIRED', 'FAILED'];
  const listedPerStatus = async (client: PartnerClient) => {
    const listed: Record<string, number> = {};
    for (const status of STATUSES) {
      let cursor: string | null = null;
      let total = 0;
      do {
        const page = await client.list(
          `?status=${status}&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
        );
        total += page.body.items.length;
        cursor = page.body.nextCursor;
      } while (cursor);
      listed[status] = total;
    }
    return listed;
  };

  it("counts the partner's requests per status, as many as the list has of each", async () => {
    const counter = partnerClient(stack, stack.partnerKeys[1]);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await counter.create(validRequest())).body.id);
    await counter.cancel(ids[0] as string);
    await counter.cancel(ids[1] as string);

    // Counted by each request's execution: a new one once it starts, a close once settled.
    const counts = await waitFor(async () => {
      const [answer, listed] = await Promise.all([
        counter.call('GET', '/v1/smart-account-requests/counts'),
        listedPerStatus(counter),
      ]);
      return JSON.stringify(answer.body) === JSON.stringify(listed) && answer;
    }, 'the counts to match the lists');

    expect(counts.status).toBe(200);
    expect(Object.keys(counts.body)).toEqual(STATUSES);
    expect(counts.body.CANCELLED).toBeGreaterThanOrEqual(2);
    expect(counts.body.PENDING_ACTIVATION).toBeGreaterThanOrEqual(2);
  });

  it("answers 401 without a key and never counts another partner's requests", async () => {
    const stranger = partnerClient(stack, 'sak_not_a_key_0000000000');
    expect((await stranger.call('GET', '/v1/smart-account-requests/counts')).status).toBe(401);
    const before = (await otherPartner.call('GET', '/v1/smart-account-requests/counts')).body;
    await partner.create(validRequest());
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await otherPartner.call('GET', '/v1/smart-account-requests/counts')).body).toEqual(
      before,
    );
  });
});

describe('service documents', () => {
  it('serves an OpenAPI 3.1 document generated from the schemas', async () => {
    const response = await fetch(`${stack.apiUrl}/openapi.json`);
    expect(response.status).toBe(200);
    const document = await response.json();
    expect(document.openapi).toBe('3.1.0');
    expect(document.paths['/v1/smart-account-requests'].post.responses).toHaveProperty('409');
    expect(
      document.components.schemas.CreateSmartAccountRequest.properties.accountName,
    ).toMatchObject({
      maxLength: 100,
    });
  });

  it('answers /health', async () => {
    const response = await fetch(`${stack.apiUrl}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers unknown paths with a 404 problem', async () => {
    const response = await partner.call('GET', '/v2/unknown');
    expectProblem(response, 404);
  });
});
