import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { RequestPage, StoredRequest } from '../../../functions/console/assets/api-client.js';
import type { Papa } from '../../../functions/console/assets/batch-csv.js';
import {
  collectRequests,
  EXPORT_COLUMNS,
  EXPORT_MAX_ROWS,
  exportCsv,
  exportFileName,
  exportRow,
} from '../../../functions/console/assets/export-csv.js';
import { NO_FILTERS } from '../../../functions/console/assets/list-filters.js';
import { smartAccountRequestResource } from '../../../functions/domain/resource-schemas.ts';

/** The same library the console loads (serve-console serves its browser build). */
const papa = createRequire(import.meta.url)('papaparse') as Papa & {
  parse: (text: string, config: { header: true }) => { data: Record<string, string>[] };
};

const request = (overrides: Partial<StoredRequest> = {}): StoredRequest => ({
  id: 'sar_1',
  status: 'ACTIVE',
  accountName: 'Acme BV',
  accountDomain: 'acme.example',
  customerEmail: 'it@acme.example',
  noteToCustomer: 'Please activate',
  userEmails: ['a@acme.example', 'b@acme.example'],
  noteToUsers: 'Welcome',
  locale: 'en',
  createdAt: '2026-11-25T10:00:00.000Z',
  expiresAt: '2027-02-23T10:00:00.000Z',
  activatedAt: '2026-11-26T09:00:00.000Z',
  closedAt: '2026-11-26T09:00:00.000Z',
  declineReason: null,
  history: [],
  remindersSent: 1,
  nextReminderAt: null,
  ...overrides,
});

/** Pages of `size` over `total` requests, as the API hands them out, counting the calls. */
function pagedList(total: number, size: number) {
  const all = Array.from({ length: total }, (_, n) => request({ id: `sar_${n}` }));
  const cursors: (string | null)[] = [];
  const readPage = async (cursor: string | null): Promise<RequestPage> => {
    cursors.push(cursor);
    const start = cursor === null ? 0 : Number(cursor);
    const end = start + size;
    return { items: all.slice(start, end), nextCursor: end < total ? String(end) : null };
  };
  return { all, cursors, readPage };
}

describe('the export of the list', () => {
  it('has a column for each field named, each of them a field of the API’s resource', () => {
    expect(EXPORT_COLUMNS).toEqual([
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
    for (const column of EXPORT_COLUMNS) {
      expect(Object.keys(smartAccountRequestResource.shape)).toContain(column);
    }
  });

  it('writes a request as a row: addresses joined with ;, absent values empty', () => {
    expect(
      exportRow(request({ status: 'DECLINED', activatedAt: null, declineReason: 'No' })),
    ).toEqual([
      'sar_1',
      'DECLINED',
      'Acme BV',
      'acme.example',
      'it@acme.example',
      'a@acme.example;b@acme.example',
      '2026-11-25T10:00:00.000Z',
      '2027-02-23T10:00:00.000Z',
      '',
      '2026-11-26T09:00:00.000Z',
      'No',
      1,
    ]);
    expect(exportRow(request({ userEmails: [] }))[5]).toBe('');
  });

  it('reads back, as a spreadsheet would, the requests it wrote', () => {
    const requests = [
      request(),
      request({
        id: 'sar_2',
        accountName: 'Beta, "the" company',
        declineReason: 'Line one\nline two',
      }),
    ];
    const csv = exportCsv(requests, papa);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const rows = papa.parse(csv.slice(1), { header: true }).data;
    expect(rows).toEqual(
      requests.map((written) =>
        Object.fromEntries(
          EXPORT_COLUMNS.map((column, index) => [column, String(exportRow(written)[index])]),
        ),
      ),
    );
  });

  it('keeps a spreadsheet from running a value as a formula', () => {
    const csv = exportCsv(
      [request({ accountName: '=HYPERLINK("http://evil.example")', declineReason: '@SUM(A1)' })],
      papa,
    );
    const [row] = papa.parse(csv.slice(1), { header: true }).data;
    expect(row?.accountName).toBe(`'=HYPERLINK("http://evil.example")`);
    expect(row?.declineReason).toBe(`'@SUM(A1)`);
  });

  it.each([
    ['=HYPERLINK("https://evil.example","Click")\nthanks'],
    ['+1+1\nthanks'],
    ['-2+3\r\nthanks'],
    ['@SUM(A1:A2)\nthanks'],
    ['\t=1+1\nthanks'],
    ['\r=1+1\nthanks'],
  ])('keeps a spreadsheet from running a value of several lines as a formula: %j', (value) => {
    // A decline reason is typed by the customer, a line break included: only its first
    // character decides whether a spreadsheet reads it as a formula.
    const csv = exportCsv([request({ accountName: value, declineReason: value })], papa);
    const [row] = papa.parse(csv.slice(1), { header: true }).data;
    expect(row?.accountName).toBe(`'${value}`);
    expect(row?.declineReason).toBe(`'${value}`);
  });

  it('reads every page, following the cursors, and reports its progress', async () => {
    const list = pagedList(250, 100);
    const progress: number[] = [];
    const { requests, complete } = await collectRequests({
      readPage: list.readPage,
      onProgress: (read) => progress.push(read),
    });
    expect(requests).toEqual(list.all);
    expect(complete).toBe(true);
    expect(list.cursors).toEqual([null, '100', '200']);
    expect(progress).toEqual([100, 200, 250]);
  });

  it('stops at the cap and says there are more; exactly the cap is complete', async () => {
    const over = pagedList(EXPORT_MAX_ROWS + 1, 100);
    const capped = await collectRequests({ readPage: over.readPage });
    expect(capped.requests).toHaveLength(EXPORT_MAX_ROWS);
    expect(capped.complete).toBe(false);
    expect(over.cursors).toHaveLength(EXPORT_MAX_ROWS / 100);

    const exact = pagedList(30, 10);
    expect(await collectRequests({ readPage: exact.readPage, max: 30 })).toEqual({
      requests: exact.all,
      complete: true,
    });
    const small = pagedList(0, 10);
    expect(await collectRequests({ readPage: small.readPage })).toEqual({
      requests: [],
      complete: true,
    });
  });

  it('names the file after the filters and the day', () => {
    const day = new Date(2026, 11, 2, 23, 30);
    expect(exportFileName(NO_FILTERS, day)).toBe('requests-all-2026-12-02.csv');
    expect(
      exportFileName(
        { status: 'PENDING_ACTIVATION', q: 'acme.example', expiresBefore: '2027-03-01' },
        day,
      ),
    ).toBe('requests-pending-activation-acme.example-expires-before-2027-03-01-2026-12-02.csv');
    expect(exportFileName({ ...NO_FILTERS, q: 'it@acme.example' }, day)).toBe(
      'requests-all-it@acme.example-2026-12-02.csv',
    );
    expect(exportFileName({ ...NO_FILTERS, q: '../x:/y' }, day)).toBe(
      'requests-all-x-y-2026-12-02.csv',
    );
  });
});
