import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { normalizeAccountDomain } from '../../../functions/domain/account-domain.ts';
import {
  createRequestHeaders,
  createRequestInput,
  createRequestQuery,
  listRequestsQuery,
  partnerFields,
} from '../../../functions/domain/request-schema.ts';
import { smartAccountRequestResource } from '../../../functions/domain/resource-schemas.ts';
import {
  type SmartAccountRequest,
  toResource,
} from '../../../functions/domain/smart-account-request.ts';
import { fieldErrorsOf } from '../../../functions/http/problem.ts';

const valid = {
  accountName: 'Acme BV',
  accountDomain: 'acme.example',
  customerEmail: 'it@acme.example',
};

const errorsFor = (input: unknown) => {
  const result = createRequestInput.safeParse(input);
  return result.success ? [] : fieldErrorsOf(result.error);
};

describe('account domains', () => {
  it.each([
    ['ACME.Example', 'acme.example'],
    ['acme.example.', 'acme.example'],
    ['  sub.acme.example  ', 'sub.acme.example'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['a-b.co', 'a-b.co'],
  ])('normalizes %s to %s', (input, expected) => {
    expect(normalizeAccountDomain(input)).toEqual({ ok: true, domain: expected });
  });

  it.each([
    'https://acme.example',
    'acme.example/path',
    'acme .example',
    'acme..example',
    '.acme.example',
    '-acme.example',
    'acme-.example',
    'acme',
    '192.168.1.1',
    'acme.example:443',
    'user@acme.example',
    `${'a'.repeat(64)}.example`,
    `${'abcdefghi.'.repeat(26)}example`,
    '',
  ])('rejects %j', (input) => {
    expect(normalizeAccountDomain(input).ok).toBe(false);
  });
});

describe('the create request schema', () => {
  it('fills defaults and normalizes values', () => {
    expect(createRequestInput.parse({ ...valid, customerEmail: ' IT@Acme.Example ' })).toEqual({
      ...valid,
      noteToCustomer: null,
      userEmails: [],
      noteToUsers: null,
      locale: 'en',
    });
  });

  it('keeps notes up to 1000 characters and trims them', () => {
    const note = `  ${'n'.repeat(1000)}`;
    expect(
      createRequestInput.parse({ ...valid, noteToUsers: note.trimStart() }).noteToUsers,
    ).toHaveLength(1000);
  });

  it('accepts exactly 50 distinct user e-mails and rejects 51', () => {
    const emails = Array.from({ length: 51 }, (_, i) => `u${i}@acme.example`);
    expect(
      createRequestInput.safeParse({ ...valid, userEmails: emails.slice(0, 50) }).success,
    ).toBe(true);
    expect(errorsFor({ ...valid, userEmails: emails })).toEqual([
      { path: 'userEmails', message: 'At most 50 addresses.' },
    ]);
  });

  it('names each duplicate user e-mail by its position', () => {
    expect(
      errorsFor({ ...valid, userEmails: ['a@acme.example', 'b@acme.example', 'A@ACME.example'] }),
    ).toEqual([{ path: 'userEmails.2', message: 'Listed more than once.' }]);
  });

  it('reports missing fields as required and unknown fields by name', () => {
    expect(errorsFor({ accountDomain: 'acme.example', extra: true, other: 1 })).toEqual([
      { path: 'accountName', message: 'Required.' },
      { path: 'customerEmail', message: 'Required.' },
      { path: 'extra', message: 'Unknown field.' },
      { path: 'other', message: 'Unknown field.' },
    ]);
  });

  it.each([
    'it@acme.example\r\nBcc: x@evil.example',
    'it@acme.example\nX-Header: 1',
    'it @acme.example',
    '<it@acme.example>',
    'Name <it@acme.example>',
  ])('rejects the e-mail address %j so no header can be injected', (customerEmail) => {
    expect(errorsFor({ ...valid, customerEmail }).map((error) => error.path)).toEqual([
      'customerEmail',
    ]);
  });

  it('normalizes into exactly the stored partner fields, in their order', () => {
    const normalized = createRequestInput.parse({
      locale: 'nl',
      userEmails: [' A@Acme.Example'],
      customerEmail: 'IT@acme.example',
      accountDomain: 'Bücher.Example.',
      accountName: '  Acme BV ',
      noteToUsers: '  ',
    });
    expect(Object.keys(normalized)).toEqual(Object.keys(partnerFields));
    expect(normalized).toEqual({
      accountName: 'Acme BV',
      accountDomain: 'xn--bcher-kva.example',
      customerEmail: 'it@acme.example',
      noteToCustomer: null,
      userEmails: ['a@acme.example'],
      noteToUsers: null,
      locale: 'nl',
    });
  });

  it('checks the address before lower-casing it, so a Kelvin sign is not turned into a k', () => {
    expect(errorsFor({ ...valid, customerEmail: 'it@acme.exampl\u212a' })).toEqual([
      { path: 'customerEmail', message: 'Not a valid e-mail address.' },
    ]);
  });

  it('rejects account names with control characters', () => {
    expect(errorsFor({ ...valid, accountName: 'Acme\u0007' }).map((error) => error.path)).toEqual([
      'accountName',
    ]);
  });
});

describe('the list query schema', () => {
  it('defaults the limit to 25 and coerces numbers', () => {
    expect(listRequestsQuery.parse({})).toEqual({ limit: 25 });
    expect(listRequestsQuery.parse({ limit: '7', status: 'ACTIVE' })).toEqual({
      limit: 7,
      status: 'ACTIVE',
    });
  });

  it.each(['0', '101', '2.5', '-1', 'abc', 'Infinity'])('rejects limit=%s', (limit) => {
    expect(listRequestsQuery.safeParse({ limit }).error?.issues).toEqual([
      expect.objectContaining({ path: ['limit'], message: 'A whole number from 1 to 100.' }),
    ]);
  });

  it('treats empty parameters, also unknown ones, as not given', () => {
    expect(listRequestsQuery.parse({ status: '', limit: '', cursor: '', sort: '' })).toEqual({
      limit: 25,
    });
  });

  it('refuses unknown parameters that have a value', () => {
    expect(
      fieldErrorsOf(listRequestsQuery.safeParse({ sort: 'asc' }).error as z.core.$ZodError),
    ).toEqual([{ path: 'sort', message: 'Unknown field.' }]);
  });
});

describe('the create query schema', () => {
  it.each([
    [{}, false],
    [{ dryRun: 'false' }, false],
    [{ dryRun: 'true' }, true],
  ])('reads %j as dryRun %s', (query, dryRun) => {
    expect(createRequestQuery.parse(query)).toEqual({ dryRun });
  });

  // `?dryRun` and `?dryRun=` reach the handler as an empty value: a review that creates would mail
  // the customer, so only the exact word `true` reviews and anything but `false` is refused.
  it.each(['', '1', 'yes', 'TRUE', 'true '])('refuses dryRun=%j', (dryRun) => {
    const result = createRequestQuery.safeParse({ dryRun });
    expect(result.success).toBe(false);
    expect(fieldErrorsOf(result.error as z.core.$ZodError)).toEqual([
      { path: 'dryRun', message: 'Either true or false.' },
    ]);
  });

  it('refuses unknown parameters, even empty ones', () => {
    expect(createRequestQuery.safeParse({ dryrun: '' }).success).toBe(false);
  });
});

describe('the create headers schema', () => {
  it.each(['k1', '!~', 'k'.repeat(255)])('accepts the Idempotency-Key %j', (key) => {
    expect(createRequestHeaders.parse({ 'Idempotency-Key': key })).toEqual({
      'Idempotency-Key': key,
    });
  });

  it.each(['', 'a key', 'k'.repeat(256), 'schlüssel', 'k\n'])(
    'refuses the Idempotency-Key %j',
    (key) => {
      const result = createRequestHeaders.safeParse({ 'Idempotency-Key': key });
      expect(fieldErrorsOf(result.error as z.core.$ZodError)).toEqual([
        { path: 'Idempotency-Key', message: '1-255 printable ASCII characters, no spaces.' },
      ]);
    },
  );
});

describe('the API resource', () => {
  const stored: SmartAccountRequest = {
    ...createRequestInput.parse({ ...valid, userEmails: ['a@acme.example'] }),
    id: 'sar_01JABCDEFGHJKMNPQRSTVWXYZ0',
    status: 'ACTIVE',
    createdAt: '2026-11-25T10:00:00.000Z',
    expiresAt: '2027-02-23T10:00:00.000Z',
    activatedAt: '2026-11-26T09:00:00.000Z',
    closedAt: '2026-11-26T09:00:00.000Z',
    history: [
      { status: 'PENDING_ACTIVATION', at: '2026-11-25T10:00:00.000Z' },
      { status: 'ACTIVE', at: '2026-11-26T09:00:00.000Z' },
    ],
    partnerId: 'partner-1',
    partnerName: 'Partner One',
    closeReason: 'Activated',
    resendCount: 2,
    taskToken: 'task-token',
    codeHash: 'code-hash',
    codeNonce: 'code-nonce',
    notifiedStatus: 'ACTIVE',
    sentEmails: new Set(['partner']),
  };

  it('has exactly the fields of the resource schema, each valid', () => {
    const resource = toResource(stored);
    expect(Object.keys(resource)).toEqual(Object.keys(smartAccountRequestResource.shape));
    expect(z.safeParse(z.strictObject(smartAccountRequestResource.shape), resource).error).toBe(
      undefined,
    );
  });

  it('never carries the internal fields', () => {
    const text = JSON.stringify(toResource(stored));
    for (const internal of [
      'partner-1',
      'Partner One',
      'Activated',
      'task-token',
      'code-hash',
      'code-nonce',
    ]) {
      expect(text).not.toContain(internal);
    }
    expect(toResource(stored)).not.toHaveProperty('resendCount');
    expect(toResource(stored)).not.toHaveProperty('sentEmails');
  });

  it('keeps only the schema fields of each history entry', () => {
    const withExtra = {
      ...stored,
      history: [{ status: 'PENDING_ACTIVATION', at: stored.createdAt, reason: 'internal' }],
    } as unknown as SmartAccountRequest;
    expect(toResource(withExtra).history).toEqual([
      { status: 'PENDING_ACTIVATION', at: stored.createdAt },
    ]);
  });
});

describe('notes cannot carry a link', () => {
  it.each([
    'Activate at https://acme-activate.example/activate/abc',
    'see http://example.com',
    'open www.acme-login.example today',
    'WWW.EXAMPLE.COM',
    'ftp://files.example/x',
    'a lookalike ｈｔｔｐｓ：／／evil.example in fullwidth',
  ])('refuses %j in either note, saying why', (text) => {
    for (const field of ['noteToCustomer', 'noteToUsers']) {
      expect(errorsFor({ ...valid, [field]: text })).toEqual([
        { path: field, message: expect.stringMatching(/^Links are not allowed in a note/) },
      ]);
    }
  });

  it.each([
    'Please activate before Friday: our team is ready.',
    'Call us at +31 20 123 4567 or reply to this e-mail.',
    'The account covers acme.example and its subsidiaries.',
    'Ratio 3:1, time 10:30',
  ])('accepts ordinary text such as %j', (text) => {
    expect(errorsFor({ ...valid, noteToCustomer: text, noteToUsers: text })).toEqual([]);
  });
});
