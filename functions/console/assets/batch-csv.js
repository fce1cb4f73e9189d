/** @import { FieldError, Problem, RequestBody } from './api-client.js' */

import { FORMULA_START } from './csv-formulae.js';

/**
 * The CSV side of the upload, with no DOM: reading the partner's file into rows of create
 * bodies, and writing the results file. Papa Parse does the CSV itself; it is passed in (the
 * page loads it from serve-console, the tests from the papaparse package).
 */

/**
 * The part of Papa Parse (papaparse.com) used here.
 * @typedef {{
 *   parse: (text: string, config: {
 *     delimitersToGuess?: string[],
 *   }) => {
 *     data: string[][],
 *     errors: { type: string, code: string, message: string, row?: number }[],
 *   },
 *   unparse: (table: { fields: string[], data: (string | number)[][] }, config?: {
 *     escapeFormulae?: boolean | RegExp,
 *   }) => string,
 * }} Papa
 */

/** The columns a file may have: the create body's fields, in the order the sample shows. */
export const BATCH_FIELDS = /** @type {const} */ ([
  'accountName',
  'accountDomain',
  'customerEmail',
  'userEmails',
  'noteToCustomer',
  'noteToUsers',
  'locale',
]);

/** @typedef {(typeof BATCH_FIELDS)[number]} BatchField */

/** Without these columns no row could be valid, so the file is refused before the dry run. */
export const REQUIRED_COLUMNS = /** @type {const} */ ([
  'accountName',
  'accountDomain',
  'customerEmail',
]);

/** Items per call of `POST …/batch` (the contract's limit): longer files go in several calls. */
export const BATCH_SIZE = 100;

/** Rows per file: ten calls of a hundred, and a preview table a browser still handles well. */
export const MAX_ROWS = 1000;

/**
 * A row of the file. `number` is the row a spreadsheet shows for it (the header is row 1, and
 * empty lines count), so a partner finds it in the file they uploaded.
 * @typedef {{ number: number, values: Record<BatchField, string> }} CsvRow
 */

/**
 * Why a file cannot be previewed; the page words them.
 * @typedef {{ kind: 'empty' }
 *   | { kind: 'notText' }
 *   | { kind: 'noRows' }
 *   | { kind: 'tooManyRows', rows: number, max: number }
 *   | { kind: 'unknownColumns', columns: string[] }
 *   | { kind: 'duplicateColumns', columns: string[] }
 *   | { kind: 'missingColumns', columns: string[] }
 *   | { kind: 'unnamedColumn', position: number }
 *   | { kind: 'extraValues', row: number }
 *   | { kind: 'parse', row: number | null, code: string, message: string }
 * } CsvProblem
 */

/**
 * @param {string} name
 * @returns {BatchField | undefined}
 */
const fieldNamed = (name) =>
  BATCH_FIELDS.find((field) => field.toLowerCase() === name.trim().toLowerCase());

/** @param {string[]} cells */
const isBlank = (cells) => cells.every((cell) => cell.trim() === '');

/**
 * Reads the uploaded text: a header row naming the fields (any order, any case), then one row
 * per request. Values are trimmed and blank lines skipped. Any problem with the file as a whole
 * (a parse error, a missing or unknown column) refuses it: a quote left open shifts every row
 * after it, so a partial preview would show rows that are not what the partner wrote.
 * @param {string} text
 * @param {Papa} papa
 * @returns {{ rows: CsvRow[], problems: CsvProblem[] }}
 */
export function readCsv(text, papa) {
  // Commas, or semicolons as spreadsheets write CSV in Dutch and other locales (a user list
  // with `;` then needs quotes, which they add); Papa Parse picks the one that fits every row.
  // A workbook (.xlsx) or other binary file has NUL bytes, which no CSV of text has.
  if (text.includes('\u0000')) return { rows: [], problems: [{ kind: 'notText' }] };
  const parsed = papa.parse(text, { delimitersToGuess: [',', ';', '\t'] });
  /** @type {CsvProblem[]} */
  const problems = parsed.errors
    // A file with one column has no delimiter to find; the column check below says what is missing.
    .filter((error) => error.code !== 'UndetectableDelimiter')
    .map((error) => ({
      kind: 'parse',
      row: error.row === undefined ? null : error.row + 1,
      code: error.code,
      message: error.message,
    }));
  // Papa Parse's rows are the file's records, blank ones included, so index + 1 is the row number.
  const records = parsed.data.map((cells, index) => ({ cells, number: index + 1 }));
  const headerAt = records.findIndex((record) => !isBlank(record.cells));
  const header = records[headerAt];
  if (!header) return { rows: [], problems: problems.length ? problems : [{ kind: 'empty' }] };
  const body = records.slice(headerAt + 1).filter((record) => !isBlank(record.cells));

  /** @type {(BatchField | null)[]} the field of each column; null for an unnamed, empty one */
  const columns = [];
  /** @type {string[]} */
  const unknown = [];
  /** @type {Set<BatchField>} */
  const duplicates = new Set();
  header.cells.forEach((name, position) => {
    const field = fieldNamed(name);
    if (name.trim() === '') {
      // A trailing separator in the header is harmless while nothing is written under it.
      if (body.some((record) => (record.cells[position] ?? '').trim() !== '')) {
        problems.push({ kind: 'unnamedColumn', position: position + 1 });
      }
      columns.push(null);
    } else if (!field) {
      unknown.push(name.trim());
      columns.push(null);
    } else {
      if (columns.includes(field)) duplicates.add(field);
      columns.push(field);
    }
  });
  if (unknown.length) problems.push({ kind: 'unknownColumns', columns: unknown });
  if (duplicates.size) problems.push({ kind: 'duplicateColumns', columns: [...duplicates] });
  const missing = REQUIRED_COLUMNS.filter((field) => !columns.includes(field));
  if (missing.length) problems.push({ kind: 'missingColumns', columns: missing });

  for (const record of body) {
    // Fewer values than columns leave the last fields empty (the dry run says if they are
    // required); a value past the last column has no field to go to.
    if (record.cells.slice(columns.length).some((cell) => cell.trim() !== '')) {
      problems.push({ kind: 'extraValues', row: record.number });
    }
  }
  if (!body.length && !problems.length) problems.push({ kind: 'noRows' });
  if (body.length > MAX_ROWS)
    problems.push({ kind: 'tooManyRows', rows: body.length, max: MAX_ROWS });
  if (problems.length) return { rows: [], problems };

  const rows = body.map((record) => {
    const values = /** @type {Record<BatchField, string>} */ (
      Object.fromEntries(BATCH_FIELDS.map((field) => [field, '']))
    );
    columns.forEach((field, position) => {
      if (field) values[field] = (record.cells[position] ?? '').trim();
    });
    return { number: record.number, values };
  });
  return { rows, problems: [] };
}

/**
 * The create body of a row, as the single-request form would send it: the account and
 * customer always (an empty one is the API's "required"), optional fields only when given,
 * user addresses split on `;` (commas and spaces are accepted too: no address contains them).
 * @param {Record<BatchField, string>} values
 * @returns {RequestBody}
 */
export function bodyOf(values) {
  /** @type {RequestBody} */
  const body = {
    accountName: values.accountName,
    accountDomain: values.accountDomain,
    customerEmail: values.customerEmail,
    userEmails: values.userEmails.split(/[;,\s]+/).filter(Boolean),
  };
  if (values.noteToCustomer) body.noteToCustomer = values.noteToCustomer;
  if (values.noteToUsers) body.noteToUsers = values.noteToUsers;
  // The API refuses anything but en and nl with its own message; a blank cell is its default.
  if (values.locale) body.locale = /** @type {RequestBody['locale']} */ (values.locale);
  return body;
}

/**
 * The rows split into the calls that send them, at most BATCH_SIZE each, in file order.
 * @template T
 * @param {readonly T[]} items
 * @returns {T[][]}
 */
export const chunksOf = (items) =>
  Array.from({ length: Math.ceil(items.length / BATCH_SIZE) }, (_, chunk) =>
    items.slice(chunk * BATCH_SIZE, (chunk + 1) * BATCH_SIZE),
  );

/**
 * The field a problem's error path belongs to: `userEmails.2` is the userEmails column.
 * @param {string} path
 * @returns {BatchField | undefined}
 */
export const fieldOfError = (path) => fieldNamed(String(path).split(/[.[]/)[0] ?? '');

/**
 * How a row ended. `notSubmitted` rows failed the check and were left out of the submit.
 * @typedef {{ kind: 'created', id: string }
 *   | { kind: 'refused', problem: Partial<Problem> }
 *   | { kind: 'notSubmitted', problem: Partial<Problem> }
 * } RowOutcome
 */

/** The results file's `status` column: stable words a partner's script can match. */
const STATUS_WORDS = /** @type {const} */ ({
  created: 'created',
  refused: 'refused',
  notSubmitted: 'not_submitted',
});

/**
 * A refusal as one cell: each field error as `path: message`, else the problem's detail, with
 * the error id support asks for.
 * @param {Partial<Problem>} problem
 */
export function problemText(problem) {
  /** @type {FieldError[]} */
  const errors = problem.errors ?? [];
  const text = errors.length
    ? errors.map((error) => `${error.path}: ${error.message}`).join('; ')
    : (problem.detail ?? problem.title ?? `HTTP ${problem.status ?? ''}`.trim());
  return problem.errorId ? `${text} (errorId ${problem.errorId})` : text;
}

/**
 * The results as CSV: a row per uploaded row with what was uploaded, how it ended, the new
 * request's id or the reason. A value starting with `=`, `+`, `-`, an at sign, a tab or a
 * carriage return, whatever lines follow, is prefixed with ' (Papa Parse's escapeFormulae,
 * with the pattern of csv-formulae.js): a spreadsheet opening the file would otherwise run it
 * as a formula, and the values come from the upload and from the API's messages. The byte
 * order mark makes spreadsheets read it as UTF-8.
 * @param {readonly CsvRow[]} rows
 * @param {readonly RowOutcome[]} outcomes one per row, in the same order
 * @param {Papa} papa
 */
export function resultsCsv(rows, outcomes, papa) {
  const fields = ['row', ...BATCH_FIELDS, 'status', 'id', 'error'];
  const data = rows.map((row, index) => {
    const outcome = outcomes[index];
    if (!outcome) throw new Error(`No outcome for row ${row.number}`);
    return [
      row.number,
      ...BATCH_FIELDS.map((field) => row.values[field]),
      STATUS_WORDS[outcome.kind],
      outcome.kind === 'created' ? outcome.id : '',
      outcome.kind === 'created' ? '' : problemText(outcome.problem),
    ];
  });
  return `\uFEFF${papa.unparse({ fields, data }, { escapeFormulae: FORMULA_START })}`;
}

/**
 * `customers.csv` downloaded on 2 December 2026 (the partner's own calendar) gives `customers-results-2026-12-02.csv`; a name
 * is kept to letters, digits, dots, dashes and underscores.
 * @param {string} uploadedName
 * @param {Date} when
 */
export function resultsFileName(uploadedName, when) {
  const stem =
    uploadedName
      .replace(/\.csv$/i, '')
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[-.]+|-+$/g, '') || 'requests';
  const day = [when.getFullYear(), when.getMonth() + 1, when.getDate()]
    .map((part) => String(part).padStart(2, '0'))
    .join('-');
  return `${stem}-results-${day}.csv`;
}
