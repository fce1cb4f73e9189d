/** @import { ListQuery, Status } from './api-client.js' */
import { listHash } from './routes.js';

/**
 * The list's filters as the partner sets them (a status tab, one search text, an "expires
 * before" day) and their two other forms: the URL hash query that keeps them across reload
 * and back (`#/?status=ACTIVE&q=acme.example&expiresBefore=2027-03-01`), and the API query
 * they stand for. No DOM here, so each translation has its own unit test.
 */

/**
 * The contract's statuses, in the order the tabs show them (a unit test holds them to the
 * server's list).
 * @type {readonly Status[]}
 */
export const STATUSES = /** @type {const} */ ([
  'PENDING_ACTIVATION',
  'ACTIVE',
  'DECLINED',
  'CANCELLED',
  'EXPIRED',
  'FAILED',
]);

/**
 * `status` null is every status; `q` is the search text as typed; `expiresBefore` a day as a
 * date input holds it (`YYYY-MM-DD`), or ''.
 * @typedef {{ status: Status | null, q: string, expiresBefore: string }} ListFilters
 */

/** @type {ListFilters} */
export const NO_FILTERS = Object.freeze({ status: null, q: '', expiresBefore: '' });

/**
 * @param {unknown} value
 * @returns {value is Status}
 */
export const isStatus = (value) => STATUSES.some((status) => status === value);

/** @param {string} value */
const isDay = (value) => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  // 2027-02-30 rolls over into March: not a day.
  return date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === day;
};

/**
 * The filters a hash query names. A status that is none of the contract's and a day that is
 * no calendar day are left out (a hand-edited URL shows the list without them); the search
 * text is kept as written, so the API's answer about it shows at the search field.
 * @param {string} query what follows `#/?`, or ''
 * @returns {ListFilters}
 */
export function filtersOfQuery(query) {
  const params = new URLSearchParams(query);
  const status = params.get('status');
  const expiresBefore = params.get('expiresBefore')?.trim() ?? '';
  return {
    status: isStatus(status) ? status : null,
    q: params.get('q')?.trim() ?? '',
    expiresBefore: isDay(expiresBefore) ? expiresBefore : '',
  };
}

/**
 * The list's hash for these filters: `#/` without any, so the unfiltered list keeps the
 * address it always had.
 * @param {ListFilters} filters
 */
export function hashOfFilters({ status, q, expiresBefore }) {
  const params = new URLSearchParams();
  if (status) params.set('status', status);
  if (q.trim()) params.set('q', q.trim());
  if (expiresBefore) params.set('expiresBefore', expiresBefore);
  const query = params.toString();
  return query ? `${listHash}?${query}` : listHash;
}

/**
 * The API field a search text filters on: an address has an at sign, a domain never does.
 * @param {string} q
 * @returns {'customerEmail' | 'accountDomain'}
 */
export const searchField = (q) => (q.includes('@') ? 'customerEmail' : 'accountDomain');

/**
 * The start of the day in the partner's own time zone, as the ISO instant the API compares
 * `expiresAt` with: "expires before 1 March" keeps a request that expires on the last evening
 * of February, wherever the partner is.
 * @param {string} day `YYYY-MM-DD`
 */
export function startOfDay(day) {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(Number(year), Number(month) - 1, Number(date)).toISOString();
}

/**
 * The list query's filters (without `limit` and `cursor`).
 * @param {ListFilters} filters
 * @returns {Omit<ListQuery, 'limit' | 'cursor'>}
 */
export function apiFilters({ status, q, expiresBefore }) {
  const text = q.trim();
  return {
    ...(status && { status }),
    ...(text && { [searchField(text)]: text }),
    ...(expiresBefore && { expiresBefore: startOfDay(expiresBefore) }),
  };
}

/** @param {ListFilters} filters */
export const hasFilters = ({ status, q, expiresBefore }) =>
  status !== null || q.trim() !== '' || expiresBefore !== '';

/** @param {ListFilters} a @param {ListFilters} b */
export const sameFilters = (a, b) => hashOfFilters(a) === hashOfFilters(b);

/**
 * The input an API field error of the list query belongs to: both search fields are the one
 * search box. Null for a path no input shows (reported with the list instead).
 * @param {string | undefined} path
 * @returns {'list-search' | 'list-expires-before' | null}
 */
export function inputOfPath(path) {
  const field = String(path ?? '').split(/[.[]/)[0];
  if (field === 'accountDomain' || field === 'customerEmail') return 'list-search';
  if (field === 'expiresBefore') return 'list-expires-before';
  return null;
}
