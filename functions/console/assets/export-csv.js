/** @import { RequestPage, StoredRequest } from './api-client.js' */
/** @import { Papa } from './batch-csv.js' */
/** @import { ListFilters } from './list-filters.js' */

import { FORMULA_START } from './csv-formulae.js';

/**
 * The list's export, with no DOM: every request of the current filters, read page after page,
 * written as CSV. Papa Parse writes the CSV; it is passed in (the console loads it from
 * serve-console, the tests from the papaparse package).
 */

/**
 * The columns of the file, in order: the request resource's fields a spreadsheet can use. The
 * stored close reason is not one of them: the API's resource does not carry it.
 */
export const EXPORT_COLUMNS = /** @type {const} */ ([
  'id',
  'status',
  'accountName',
  'accountDomain',
  'customerEmail',
  'userEmails',
  'createdAt',
  'expiresAt',
  'activatedAt',
  'closedAt',
  'declineReason',
  'remindersSent',
]);

/** Items per call: the list's largest page, so an export makes as few calls as it can. */
export const EXPORT_PAGE_SIZE = 100;

/**
 * Rows per file: a hundred calls, and a file every spreadsheet opens. The page says so; a
 * larger export is a task for the API itself.
 */
export const EXPORT_MAX_ROWS = 10_000;

/**
 * A request as a row of the file; the addresses in one cell, separated by `;` as the upload
 * reads them, and an absent value empty.
 * @param {StoredRequest} request
 * @returns {(string | number)[]}
 */
export function exportRow(request) {
  /** @type {Record<string, unknown>} */
  const fields = request;
  return EXPORT_COLUMNS.map((column) => {
    const value = column === 'userEmails' ? request.userEmails.join(';') : fields[column];
    return typeof value === 'number' ? value : value == null ? '' : String(value);
  });
}

/**
 * The file: a header row and a row per request. A value starting with `=`, `+`, `-`, an at
 * sign, a tab or a carriage return, whatever lines follow, is prefixed with ' (Papa Parse's
 * escapeFormulae, with the pattern of csv-formulae.js): account names and decline reasons are
 * other people's words, and a spreadsheet opening the file would otherwise run such a value
 * as a formula. The byte order mark makes spreadsheets read it as UTF-8.
 * @param {readonly StoredRequest[]} requests
 * @param {Papa} papa
 */
export const exportCsv = (requests, papa) =>
  `\uFEFF${papa.unparse(
    { fields: [...EXPORT_COLUMNS], data: requests.map(exportRow) },
    { escapeFormulae: FORMULA_START },
  )}`;

/**
 * @typedef {{
 *   readPage: (cursor: string | null) => Promise<RequestPage>,
 *   onProgress?: (read: number) => void,
 *   max?: number,
 * }} CollectOptions
 */

/**
 * Every request of a list, following `nextCursor` until the last page or `max` requests.
 * Pages are read one after another: each needs the cursor of the one before.
 * @param {CollectOptions} options `readPage` reads the page at a cursor (null: the first);
 *   `onProgress` hears the number read after each page
 * @returns {Promise<{ requests: StoredRequest[], complete: boolean }>} `complete` false when
 *   the list had more than `max`
 */
export async function collectRequests({ readPage, onProgress, max = EXPORT_MAX_ROWS }) {
  /** @type {StoredRequest[]} */
  const requests = [];
  /** @type {string | null} */
  let cursor = null;
  do {
    const page = await readPage(cursor);
    requests.push(...page.items);
    cursor = page.nextCursor;
    onProgress?.(Math.min(requests.length, max));
  } while (cursor !== null && requests.length < max);
  // A list of exactly `max` ends with a cursor only if there are more.
  return { requests: requests.slice(0, max), complete: cursor === null && requests.length <= max };
}

/**
 * `requests-cancelled-acme.example-2026-12-02.csv`: what was exported and the day (the
 * partner's own calendar), so files of different filters and days keep apart. Characters a
 * file name should not hold become `-`.
 * @param {ListFilters} filters
 * @param {Date} when
 */
export function exportFileName({ status, q, expiresBefore }, when) {
  const parts = [
    status ? status.toLowerCase().replace(/_/g, '-') : 'all',
    q.trim(),
    expiresBefore && `expires-before-${expiresBefore}`,
  ]
    .filter(Boolean)
    .map((part) => part.replace(/[^A-Za-z0-9@._-]+/g, '-').replace(/^[-.]+|-+$/g, ''));
  const day = [when.getFullYear(), when.getMonth() + 1, when.getDate()]
    .map((part) => String(part).padStart(2, '0'))
    .join('-');
  return `requests-${parts.filter(Boolean).join('-')}-${day}.csv`;
}
