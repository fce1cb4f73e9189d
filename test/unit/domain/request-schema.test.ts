import { describe, expect, it } from 'vitest';
import { normalizeAccountDomain } from '../../../functions/domain/account-domain.ts';
import { createRequestInput, listRequestsQuery } from '../../../functions/domain/request-schema.ts';
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

  it.each(['0', '101', '2.5', '-1', 'abc'])('rejects limit=%s', (limit) => {
    expect(listRequestsQuery.safeParse({ limit }).success).toBe(false);
  });
});
