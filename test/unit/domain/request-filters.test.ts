import { describe, expect, it } from 'vitest';
import { matchesFilter, planList } from '../../../functions/domain/request-filters.ts';
import { aRequest } from '../../support/in-memory-stores.ts';

describe('which index answers a list', () => {
  it('gives every single filter an index of its own, with nothing left to check', () => {
    expect(planList({})).toEqual({ index: 'all', residual: {}, order: 'createdAt' });
    expect(planList({ status: 'ACTIVE' })).toMatchObject({ index: 'byStatus', residual: {} });
    expect(planList({ accountDomain: 'acme.example' })).toMatchObject({
      index: 'byDomain',
      residual: {},
    });
    expect(planList({ customerEmail: 'pat@acme.example' })).toMatchObject({
      index: 'byCustomer',
      residual: {},
    });
    expect(planList({ expiresBefore: '2027-01-01T00:00:00.000Z' })).toEqual({
      index: 'byExpiry',
      residual: {},
      order: 'expiresAt',
    });
  });

  it('answers status with expiresBefore on their joint index', () => {
    expect(
      planList({ status: 'PENDING_ACTIVATION', expiresBefore: '2027-01-01T00:00:00.000Z' }),
    ).toEqual({ index: 'byStatusExpiry', residual: {}, order: 'expiresAt' });
  });

  it('drives a combination by the domain, then the address, and checks the rest', () => {
    const expiresBefore = '2027-01-01T00:00:00.000Z';
    expect(
      planList({ status: 'ACTIVE', accountDomain: 'acme.example', customerEmail: 'p@a.example' }),
    ).toEqual({
      index: 'byDomain',
      residual: { status: 'ACTIVE', customerEmail: 'p@a.example' },
      order: 'createdAt',
    });
    expect(planList({ customerEmail: 'p@a.example', expiresBefore })).toEqual({
      index: 'byCustomer',
      residual: { expiresBefore },
      order: 'createdAt',
    });
  });
});

describe('whether a request is in a filtered list', () => {
  const request = aRequest({
    status: 'ACTIVE',
    accountDomain: 'acme.example',
    customerEmail: 'pat@acme.example',
    expiresAt: '2027-01-01T00:00:00.000Z',
  });

  it('holds when every filter does, the address compared case-insensitively', () => {
    expect(matchesFilter(request, {})).toBe(true);
    expect(
      matchesFilter(request, {
        status: 'ACTIVE',
        accountDomain: 'acme.example',
        customerEmail: 'PAT@acme.example',
        expiresBefore: '2027-01-01T00:00:00.001Z',
      }),
    ).toBe(true);
  });

  it('fails when any one filter does; expiresBefore is strict', () => {
    expect(matchesFilter(request, { status: 'CANCELLED' })).toBe(false);
    expect(matchesFilter(request, { accountDomain: 'other.example' })).toBe(false);
    expect(matchesFilter(request, { customerEmail: 'sam@acme.example' })).toBe(false);
    expect(matchesFilter(request, { expiresBefore: '2027-01-01T00:00:00.000Z' })).toBe(false);
  });
});
