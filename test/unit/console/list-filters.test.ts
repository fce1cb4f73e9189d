import { describe, expect, it } from 'vitest';
import {
  apiFilters,
  filtersOfQuery,
  hasFilters,
  hashOfFilters,
  inputOfPath,
  type ListFilters,
  NO_FILTERS,
  STATUSES,
  sameFilters,
  searchField,
  startOfDay,
} from '../../../functions/console/assets/list-filters.js';
import { routeOf } from '../../../functions/console/assets/routes.js';
import { listRequestsQuery } from '../../../functions/domain/request-schema.ts';
import { requestStatuses } from '../../../functions/shared/status.ts';

/** The query the router hands the list for a hash, as the console reads `location.hash`. */
const queryOf = (hash: string) => {
  const route = routeOf(hash);
  if (route?.view !== 'list') throw new Error(`${hash} is no list route`);
  return route.query;
};

const filters = (overrides: Partial<ListFilters>): ListFilters => ({ ...NO_FILTERS, ...overrides });

describe('the list filters in the URL hash', () => {
  it('tabs through exactly the contract statuses', () => {
    expect([...STATUSES]).toEqual(requestStatuses);
  });

  it('keeps the plain list at #/ and puts filters in a query after it', () => {
    expect(hashOfFilters(NO_FILTERS)).toBe('#/');
    expect(hashOfFilters(filters({ q: '   ' }))).toBe('#/');
    expect(
      hashOfFilters({ status: 'ACTIVE', q: ' acme.example ', expiresBefore: '2027-03-01' }),
    ).toBe('#/?status=ACTIVE&q=acme.example&expiresBefore=2027-03-01');
  });

  it('reads back every filter it wrote, through the router', () => {
    const cases: ListFilters[] = [
      NO_FILTERS,
      filters({ status: 'CANCELLED' }),
      filters({ q: 'Shared+Ops@Customer.example' }),
      filters({ q: 'münchen.example & co' }),
      { status: 'PENDING_ACTIVATION', q: 'acme.example', expiresBefore: '2027-02-28' },
    ];
    for (const written of cases) {
      expect(filtersOfQuery(queryOf(hashOfFilters(written)))).toEqual(written);
    }
  });

  it('is the list for #/, an empty hash and a filter query; other hashes are not', () => {
    expect(routeOf('')).toEqual({ view: 'list', query: '' });
    expect(routeOf('#/')).toEqual({ view: 'list', query: '' });
    expect(routeOf('#/?status=ACTIVE')).toEqual({ view: 'list', query: 'status=ACTIVE' });
    expect(routeOf('#/requests/sar_1')).toEqual({ view: 'request', id: 'sar_1' });
    expect(routeOf('#/webhooks')).toEqual({ view: 'webhooks' });
    expect(routeOf('#main')).toBeNull();
  });

  it('leaves out a status that is no status and a day that is no calendar day', () => {
    expect(filtersOfQuery('status=active&expiresBefore=2027-02-30')).toEqual(NO_FILTERS);
    expect(filtersOfQuery('status=DELETED&expiresBefore=tomorrow&q=x.example')).toEqual(
      filters({ q: 'x.example' }),
    );
    expect(filtersOfQuery('expiresBefore=2028-02-29')).toEqual(
      filters({ expiresBefore: '2028-02-29' }),
    );
  });

  it('keeps a search text the API will refuse, so its answer shows at the search box', () => {
    expect(filtersOfQuery('q=not%40an%40address')).toEqual(filters({ q: 'not@an@address' }));
  });

  it('tells filtered lists from the plain one, and the same filters apart from others', () => {
    expect(hasFilters(NO_FILTERS)).toBe(false);
    expect(hasFilters(filters({ status: 'FAILED' }))).toBe(true);
    expect(hasFilters(filters({ expiresBefore: '2027-01-01' }))).toBe(true);
    expect(sameFilters(filters({ q: ' a.example' }), filters({ q: 'a.example' }))).toBe(true);
    expect(sameFilters(filters({ q: 'a.example' }), filters({ q: 'b.example' }))).toBe(false);
  });
});

describe('the search text and the API query', () => {
  it('searches the customer addresses for text with an @, the domains otherwise', () => {
    expect(searchField('it@acme.example')).toBe('customerEmail');
    expect(searchField('acme.example')).toBe('accountDomain');
    expect(apiFilters(filters({ q: ' IT@Acme.example ' }))).toEqual({
      customerEmail: 'IT@Acme.example',
    });
    expect(apiFilters(filters({ status: 'ACTIVE', q: 'Acme.Example' }))).toEqual({
      status: 'ACTIVE',
      accountDomain: 'Acme.Example',
    });
    expect(apiFilters(NO_FILTERS)).toEqual({});
  });

  it('asks for requests expiring before the start of the day in the partner’s time zone', () => {
    const instant = new Date(startOfDay('2027-03-01'));
    expect([instant.getFullYear(), instant.getMonth(), instant.getDate()]).toEqual([2027, 2, 1]);
    expect([instant.getHours(), instant.getMinutes(), instant.getSeconds()]).toEqual([0, 0, 0]);
    const justBefore = new Date(instant.getTime() - 1);
    expect([justBefore.getMonth(), justBefore.getDate()]).toEqual([1, 28]);
  });

  it('is a query the server accepts, with every filter combined', () => {
    const query = {
      limit: '20',
      ...apiFilters({
        status: 'PENDING_ACTIVATION',
        q: 'Acme.Example',
        expiresBefore: '2027-03-01',
      }),
    };
    const parsed = listRequestsQuery.parse(query);
    expect(parsed).toMatchObject({
      status: 'PENDING_ACTIVATION',
      accountDomain: 'acme.example',
      expiresBefore: startOfDay('2027-03-01'),
      limit: 20,
    });
    expect(listRequestsQuery.parse(apiFilters(filters({ q: 'It@Acme.example' })))).toMatchObject({
      customerEmail: expect.stringMatching(/^it@acme\.example$/i),
    });
  });

  it('shows the API’s field errors about either search field at the search box', () => {
    expect(inputOfPath('accountDomain')).toBe('list-search');
    expect(inputOfPath('customerEmail')).toBe('list-search');
    expect(inputOfPath('expiresBefore')).toBe('list-expires-before');
    expect(inputOfPath('cursor')).toBeNull();
    expect(inputOfPath(undefined)).toBeNull();
  });
});
