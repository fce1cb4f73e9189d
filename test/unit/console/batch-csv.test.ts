import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  BATCH_FIELDS,
  BATCH_SIZE,
  bodyOf,
  type CsvRow,
  chunksOf,
  fieldOfError,
  MAX_ROWS,
  type Papa,
  type RowOutcome,
  readCsv,
  resultsCsv,
  resultsFileName,
} from '../../../functions/console/assets/batch-csv.js';
import { createRequestInput, MAX_BATCH_ITEMS } from '../../../functions/domain/request-schema.ts';

/** The same library the console loads (serve-console serves its browser build). */
const papa = createRequire(import.meta.url)('papaparse') as Papa;

const HEADER = BATCH_FIELDS.join(',');
const read = (text: string) => readCsv(text, papa);
const valuesOf = (text: string) => read(text).rows.map((row) => row.values);

describe('reading the uploaded CSV', () => {
  it('gives each row its values by column name, trimmed, numbered as a spreadsheet shows the rows', () => {
    const { rows, problems } = read(
      [
        'CustomerEmail, accountDomain ,accountName,userEmails,locale',
        '',
        ' it@acme.example , acme.example ,  Acme BV ,a@acme.example; b@acme.example,nl',
        '   ',
        '"cio@beta.example",beta.example,"Beta, the company",,',
        '',
      ].join('\r\n'),
    );
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      {
        number: 3,
        values: {
          accountName: 'Acme BV',
          accountDomain: 'acme.example',
          customerEmail: 'it@acme.example',
          userEmails: 'a@acme.example; b@acme.example',
          noteToCustomer: '',
          noteToUsers: '',
          locale: 'nl',
        },
      },
      {
        number: 5,
        values: {
          accountName: 'Beta, the company',
          accountDomain: 'beta.example',
          customerEmail: 'cio@beta.example',
          userEmails: '',
          noteToCustomer: '',
          noteToUsers: '',
          locale: '',
        },
      },
    ]);
  });

  it('reads a file a spreadsheet saved with semicolons, and a byte order mark', () => {
    const text =
      '\uFEFFaccountName;accountDomain;customerEmail;userEmails\n' +
      'Acme BV;acme.example;it@acme.example;"a@acme.example;b@acme.example"\n';
    expect(valuesOf(text)[0]).toMatchObject({
      accountName: 'Acme BV',
      userEmails: 'a@acme.example;b@acme.example',
    });
  });

  it('keeps a note that spans lines in quotes as one value, and counts the rows after it right', () => {
    const { rows } = read(
      `${HEADER}\nA,a.example,it@a.example,,"Line one\nline two",,\nB,b.example,it@b.example,,,,\n`,
    );
    expect(rows.map((row) => [row.number, row.values.noteToCustomer])).toEqual([
      [2, 'Line one\nline two'],
      [3, ''],
    ]);
  });

  it('needs only the required columns; shorter rows leave the last fields empty', () => {
    const { rows, problems } = read(
      'accountName,accountDomain,customerEmail,noteToUsers\nA,a.example\n',
    );
    expect(problems).toEqual([]);
    expect(rows[0]?.values).toMatchObject({ accountName: 'A', customerEmail: '', noteToUsers: '' });
  });

  it('ignores a trailing separator in the header with nothing under it', () => {
    const { rows, problems } = read(
      'accountName,accountDomain,customerEmail,\nA,a.example,x@a.example,\n',
    );
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(1);
  });

  it.each([
    ['an empty file', '', [{ kind: 'empty' }]],
    ['blank lines only', '\n  \n\n', [{ kind: 'empty' }]],
    ['a header without rows', `${HEADER}\n\n`, [{ kind: 'noRows' }]],
    [
      'an unknown column',
      `${HEADER},phone,Customer Name\nA,a.example,x@a.example,,,,,0612345678,\n`,
      [{ kind: 'unknownColumns', columns: ['phone', 'Customer Name'] }],
    ],
    [
      'a required column missing',
      'accountName,userEmails\nA,a@a.example\n',
      [{ kind: 'missingColumns', columns: ['accountDomain', 'customerEmail'] }],
    ],
    [
      'a column named twice',
      'accountName,accountDomain,customerEmail,accountname\nA,a.example,x@a.example,B\n',
      [{ kind: 'duplicateColumns', columns: ['accountName'] }],
    ],
    [
      'values under an unnamed column',
      'accountName,,accountDomain,customerEmail\nA,oops,a.example,x@a.example\n',
      [{ kind: 'unnamedColumn', position: 2 }],
    ],
    [
      'a row with more values than columns',
      'accountName,accountDomain,customerEmail\nA,a.example,x@a.example\nB,b.example,x@b.example,y@b.example\n',
      [{ kind: 'extraValues', row: 3 }],
    ],
    [
      'a workbook uploaded as CSV',
      'PK\u0003\u0004\u0000\u0000xl/workbook.xml',
      [{ kind: 'notText' }],
    ],
  ])('refuses %s, saying why', (_, text, problems) => {
    expect(read(text)).toEqual({ rows: [], problems });
  });

  it("refuses a file Papa Parse cannot read, with the row of each of Papa Parse's errors", () => {
    const { rows, problems } = read(
      `${HEADER}\n\nA,a.example,x@a.example,,,,\nB,b.example,"x@b.example,,,,\n`,
    );
    expect(rows).toEqual([]);
    expect(problems).toContainEqual({
      kind: 'parse',
      row: 4,
      code: 'MissingQuotes',
      message: 'Quoted field unterminated',
    });
  });

  it(`refuses more than ${MAX_ROWS} rows, and takes ${MAX_ROWS}`, () => {
    const row = 'A,a.example,x@a.example\n';
    const header = 'accountName,accountDomain,customerEmail\n';
    expect(read(header + row.repeat(MAX_ROWS)).rows).toHaveLength(MAX_ROWS);
    expect(read(header + row.repeat(MAX_ROWS + 1))).toEqual({
      rows: [],
      problems: [{ kind: 'tooManyRows', rows: MAX_ROWS + 1, max: MAX_ROWS }],
    });
  });
});

describe('a row as a create body', () => {
  const values = {
    accountName: 'Acme BV',
    accountDomain: 'Acme.Example',
    customerEmail: 'it@acme.example',
    userEmails: 'a@acme.example; b@acme.example;;c@acme.example ',
    noteToCustomer: 'Please activate',
    noteToUsers: '',
    locale: 'nl',
  };

  it('splits the user addresses on ; and leaves out the optional fields not given', () => {
    expect(bodyOf(values)).toEqual({
      accountName: 'Acme BV',
      accountDomain: 'Acme.Example',
      customerEmail: 'it@acme.example',
      userEmails: ['a@acme.example', 'b@acme.example', 'c@acme.example'],
      noteToCustomer: 'Please activate',
      locale: 'nl',
    });
  });

  it('is a body the create accepts, normalized as a single create is', () => {
    const parsed = createRequestInput.safeParse(bodyOf(values));
    expect(parsed.success && parsed.data).toMatchObject({
      accountDomain: 'acme.example',
      userEmails: ['a@acme.example', 'b@acme.example', 'c@acme.example'],
      noteToUsers: null,
      locale: 'nl',
    });
  });

  it('sends an empty required field, so the dry run says it is required', () => {
    const body = bodyOf({ ...values, accountName: '', userEmails: '', locale: '' });
    expect(body).toMatchObject({ accountName: '', userEmails: [] });
    expect(body).not.toHaveProperty('locale');
    const parsed = createRequestInput.safeParse(body);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['accountName']);
  });

  it('finds the column a field error is about', () => {
    expect(fieldOfError('userEmails.2')).toBe('userEmails');
    expect(fieldOfError('customerEmail')).toBe('customerEmail');
    expect(fieldOfError('items')).toBeUndefined();
  });
});

describe('sending the rows', () => {
  it('sends at most as many rows per call as the batch route takes, in file order', () => {
    expect(BATCH_SIZE).toBe(MAX_BATCH_ITEMS);
    const rows = Array.from({ length: 250 }, (_, index) => index);
    const chunks = chunksOf(rows);
    expect(chunks.map((chunk) => chunk.length)).toEqual([100, 100, 50]);
    expect(chunks.flat()).toEqual(rows);
    expect(chunksOf([])).toEqual([]);
  });
});

describe('the results file', () => {
  const row = (number: number, overrides: Partial<CsvRow['values']> = {}): CsvRow => ({
    number,
    values: {
      accountName: 'Acme BV',
      accountDomain: 'acme.example',
      customerEmail: 'it@acme.example',
      userEmails: 'a@acme.example;b@acme.example',
      noteToCustomer: '',
      noteToUsers: '',
      locale: 'en',
      ...overrides,
    },
  });
  const parse = (csv: string) =>
    (papa.parse(csv, {}) as { data: string[][] }).data.filter((cells) => cells.join('') !== '');

  it('has a row per uploaded row: its values, how it ended, the id or the reason with its error id', () => {
    const rows = [
      row(2),
      row(3, { customerEmail: 'nope' }),
      row(5, { accountDomain: 'taken.example' }),
    ];
    const outcomes: RowOutcome[] = [
      { kind: 'created', id: 'sar_01' },
      {
        kind: 'notSubmitted',
        problem: {
          status: 400,
          detail: 'The request has invalid fields.',
          errorId: 'err_1',
          errors: [{ path: 'customerEmail', message: 'Not a valid e-mail address.' }],
        },
      },
      {
        kind: 'refused',
        problem: {
          status: 409,
          detail: 'The domain already has a live request.',
          errorId: 'err_2',
        },
      },
    ];
    const csv = resultsCsv(rows, outcomes, papa);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(parse(csv)).toEqual([
      ['row', ...BATCH_FIELDS, 'status', 'id', 'error'],
      [
        '2',
        'Acme BV',
        'acme.example',
        'it@acme.example',
        'a@acme.example;b@acme.example',
        '',
        '',
        'en',
        'created',
        'sar_01',
        '',
      ],
      [
        '3',
        'Acme BV',
        'acme.example',
        'nope',
        'a@acme.example;b@acme.example',
        '',
        '',
        'en',
        'not_submitted',
        '',
        'customerEmail: Not a valid e-mail address. (errorId err_1)',
      ],
      [
        '5',
        'Acme BV',
        'taken.example',
        'it@acme.example',
        'a@acme.example;b@acme.example',
        '',
        '',
        'en',
        'refused',
        '',
        'The domain already has a live request. (errorId err_2)',
      ],
    ]);
  });

  it.each([
    ['=HYPERLINK("https://evil.example","click")'],
    ['+1+1'],
    ['-2+3'],
    ['@SUM(A1:A2)'],
    ['\t=1+1'],
    ['\r=1+1'],
  ])('defuses a cell a spreadsheet would run as a formula: %j', (value) => {
    const csv = resultsCsv(
      [row(2, { accountName: value, noteToCustomer: value })],
      [{ kind: 'refused', problem: { detail: value } }],
      papa,
    );
    const cells = parse(csv)[1] ?? [];
    expect(cells[1]).toBe(`'${value}`);
    expect(cells[5]).toBe(`'${value}`);
    expect(cells[10]).toBe(`'${value}`);
  });

  it.each([
    ['=HYPERLINK("https://evil.example","Click")\nthanks'],
    ['+1+1\nthanks'],
    ['-2+3\r\nthanks'],
    ['@SUM(A1:A2)\nthanks'],
    ['\t=1+1\nthanks'],
    ['\r=1+1\nthanks'],
  ])('defuses a cell of several lines a spreadsheet would run as a formula: %j', (value) => {
    // A note may hold line breaks: only its first character decides whether a spreadsheet
    // reads it as a formula.
    const csv = resultsCsv(
      [row(2, { accountName: value, noteToCustomer: value })],
      [{ kind: 'refused', problem: { detail: value } }],
      papa,
    );
    const cells = parse(csv)[1] ?? [];
    expect(cells[1]).toBe(`'${value}`);
    expect(cells[5]).toBe(`'${value}`);
    expect(cells[10]).toBe(`'${value}`);
  });

  it('leaves other values as they are, quoting what needs quotes', () => {
    const note = 'Say "yes", please;\nthanks';
    const csv = resultsCsv(
      [row(2, { noteToCustomer: note, accountName: 'a=b' })],
      [{ kind: 'created', id: 'sar_1' }],
      papa,
    );
    expect(parse(csv)[1]?.slice(1, 6)).toEqual([
      'a=b',
      'acme.example',
      'it@acme.example',
      'a@acme.example;b@acme.example',
      note,
    ]);
  });

  it('refuses to write a row without an outcome', () => {
    expect(() => resultsCsv([row(2)], [], papa)).toThrow(/row 2/);
  });

  it('is named after the uploaded file and the day', () => {
    const day = new Date(2026, 11, 2, 23, 30);
    expect(resultsFileName('customers.csv', day)).toBe('customers-results-2026-12-02.csv');
    expect(resultsFileName('Klanten december (v2).CSV', day)).toBe(
      'Klanten-december-v2-results-2026-12-02.csv',
    );
    expect(resultsFileName('../../.csv', day)).toBe('requests-results-2026-12-02.csv');
  });
});
