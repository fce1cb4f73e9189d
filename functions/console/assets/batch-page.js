/** @import { Problem } from './api-client.js' */
/** @import { BatchApi, BatchItemResult } from './batch-api.js' */
/** @import { BatchField, CsvProblem, CsvRow, RowOutcome } from './batch-csv.js' */
/** @import { TextKey } from './i18n.js' */
import { ApiError } from './api-client.js';
import {
  BATCH_FIELDS,
  bodyOf,
  chunksOf,
  fieldOfError,
  readCsv,
  resultsCsv,
  resultsFileName,
} from './batch-csv.js';
import { byId, element, h } from './dom.js';
import { fieldLabel, t } from './i18n.js';
import { isSessionEnd, problemNodes, say } from './messages.js';
import { loadPapa } from './papaparse-loader.js';
import { requestHash } from './routes.js';

/**
 * The CSV upload (`#/batch`): the partner's file is read in the browser, every row is checked
 * by the API's dry run and shown with its field errors, and only the rows that passed are
 * created, in calls of up to a hundred. Each call has its own Idempotency-Key, chosen when it
 * is first sent and kept: a double click or "try again" after a lost answer replays it instead
 * of creating twice. The outcome of every row can be downloaded as CSV.
 */

/** Problems listed for a refused file; the rest are counted. */
const MAX_LISTED_PROBLEMS = 20;

/** A row's dry run: it would be created, or why not. @typedef {{ ok: true } | { ok: false, problem: Partial<Problem> }} RowCheck */
/** One call of the submit: the rows it sends (indexes into the rows) and its key. @typedef {{ rows: number[], key: string, done: boolean }} SubmitCall */
/** @typedef {{ region: 'status' | 'alert', words: () => (Node | string)[] }} Message */

/**
 * @typedef {{
 *   api: BatchApi,
 *   onCreated: () => Promise<void>,
 * }} BatchPageOptions
 */

export class BatchPage {
  #section = byId('batch-page');
  #heading = byId('batch-title');
  #input = element('batch-file', HTMLInputElement);
  #drop = byId('batch-drop');
  #submit = element('batch-submit', HTMLButtonElement);
  #recheck = element('batch-recheck', HTMLButtonElement);
  #download = element('batch-download', HTMLButtonElement);
  /** @type {BatchApi} */
  #api;
  /** @type {BatchPageOptions['onCreated']} */
  #onCreated;
  #isOpen = false;
  /** @type {string | null} */
  #fileName = null;
  /** @type {CsvProblem[]} */
  #problems = [];
  /** @type {CsvRow[]} */
  #rows = [];
  /** @type {(RowCheck | null)[]} */
  #checks = [];
  /** @type {SubmitCall[] | null} set by the first submit, so a retry sends the same calls */
  #calls = null;
  /** A call of the last submit failed: the next one tries again. */
  #submitFailed = false;
  /** @type {(RowOutcome | null)[]} */
  #outcomes = [];
  #busy = false;
  /** @type {Message | null} kept as words, so a change of language says it again */
  #message = null;
  /** Bumped by each new file: answers that come back for an older file are dropped. */
  #upload = 0;

  /** @param {BatchPageOptions} options `onCreated` runs once requests were created */
  constructor({ api, onCreated }) {
    this.#api = api;
    this.#onCreated = onCreated;
    this.#input.addEventListener('change', () => {
      const file = this.#input.files?.[0];
      if (file) void this.#take(file);
    });
    this.#drop.addEventListener('dragover', (event) => {
      event.preventDefault();
      this.#drop.classList.add('dragging');
    });
    this.#drop.addEventListener('dragleave', () => this.#drop.classList.remove('dragging'));
    this.#drop.addEventListener('drop', (event) => {
      event.preventDefault();
      this.#drop.classList.remove('dragging');
      const files = event.dataTransfer?.files;
      const file = files?.[0];
      if (!files || !file) return;
      this.#input.files = files;
      void this.#take(file);
    });
    this.#submit.addEventListener('click', () => void this.#create());
    this.#recheck.addEventListener('click', () => void this.#check());
    this.#download.addEventListener('click', () => void this.#downloadResults());
  }

  get isOpen() {
    return this.#isOpen;
  }

  /** Shows the page as the partner left it; focus on its heading. */
  open() {
    this.#isOpen = true;
    this.#section.hidden = false;
    this.render();
    this.#heading.focus();
    // Ready by the time a file is chosen; a failure is reported then.
    loadPapa().catch(() => {});
  }

  close() {
    if (!this.#isOpen) return;
    this.#isOpen = false;
    this.#section.hidden = true;
    document.title = t('title');
  }

  /** Forgets the file and its rows (sign-out). */
  reset() {
    this.close();
    this.#upload++;
    this.#clear(null);
    this.#input.value = '';
    this.render();
  }

  render() {
    if (this.#isOpen) document.title = `${t('batchTitle')} – ${t('title')}`;
    say(byId('batch-status'), ...(this.#message?.region === 'status' ? this.#message.words() : []));
    say(byId('batch-alert'), ...(this.#message?.region === 'alert' ? this.#message.words() : []));
    this.#input.disabled = this.#isSubmitting();
    this.#renderProblems();
    this.#renderRows();
  }

  /** @param {string | null} fileName */
  #clear(fileName) {
    this.#fileName = fileName;
    this.#problems = [];
    this.#rows = [];
    this.#checks = [];
    this.#calls = null;
    this.#submitFailed = false;
    this.#outcomes = [];
    this.#busy = false;
    this.#message = null;
  }

  /** @param {File} file */
  async #take(file) {
    // A submit under way finishes first: its answers say which requests now exist.
    if (this.#isSubmitting()) return;
    const upload = ++this.#upload;
    this.#clear(file.name);
    this.#busy = true;
    this.#say('status', () => [t('batchReading', { file: file.name })]);
    try {
      const [text, papa] = await Promise.all([file.text(), loadPapa()]);
      if (upload !== this.#upload) return;
      // Emptied once read, so choosing the same file again after correcting it reads it again
      // (the browser fires no change for the file already chosen); the heading names it.
      this.#input.value = '';
      const { rows, problems } = readCsv(text, papa);
      this.#problems = problems;
      this.#rows = rows;
      this.#checks = rows.map(() => null);
      this.#outcomes = rows.map(() => null);
    } catch (error) {
      if (upload !== this.#upload) return;
      this.#busy = false;
      this.#say('alert', () => problemNodes(error));
      return;
    }
    if (this.#problems.length) {
      this.#busy = false;
      this.#message = null;
      this.render();
      byId('batch-problems').focus();
      return;
    }
    this.#busy = false;
    await this.#check();
  }

  /** The dry run of every row not checked yet, a hundred at a time. */
  async #check() {
    if (this.#busy) return;
    const upload = this.#upload;
    const pending = this.#rows.flatMap((_, index) => (this.#checks[index] ? [] : [index]));
    this.#busy = true;
    this.#say('status', () => [t('batchChecking', { rows: this.#rows.length })]);
    try {
      for (const indexes of chunksOf(pending)) {
        const items = await this.#api.check(indexes.map((index) => this.#bodyAt(index)));
        if (upload !== this.#upload) return;
        for (const item of items) {
          const index = indexes[item.index];
          if (index === undefined) continue;
          this.#checks[index] =
            item.status === 200 ? { ok: true } : { ok: false, problem: problemOf(item) };
        }
      }
      // The summary under the heading (a live region) says how it went.
      this.#message = null;
    } catch (error) {
      if (upload !== this.#upload) return;
      if (isSessionEnd(error)) return;
      this.#say('alert', () => [...problemNodes(error), ' ', t('batchCheckFailed')]);
    } finally {
      if (upload === this.#upload) {
        this.#busy = false;
        this.render();
      }
    }
    if (upload === this.#upload) byId('batch-rows-title').focus();
  }

  /** Creates the rows that passed the check; a call that failed is sent again with its key. */
  async #create() {
    const button = this.#submit;
    if (this.#busy || button.getAttribute('aria-disabled') === 'true') return;
    const upload = this.#upload;
    const ready = this.#readyRows();
    if (!ready.length || !this.#isChecked()) return;
    this.#calls ??= chunksOf(ready).map((rows) => ({
      rows,
      key: crypto.randomUUID(),
      done: false,
    }));
    this.#busy = true;
    // aria-disabled rather than disabled: focus stays on the button while it works.
    button.setAttribute('aria-disabled', 'true');
    this.#say('status', () => [t('batchCreating', { n: ready.length })]);
    let created = 0;
    try {
      for (const call of this.#calls) {
        if (call.done) continue;
        const items = await this.#api.create(
          call.rows.map((index) => this.#bodyAt(index)),
          call.key,
        );
        if (upload !== this.#upload) return;
        for (const item of items) {
          const index = call.rows[item.index];
          if (index === undefined) continue;
          if (item.status === 202 && item.request?.id) {
            this.#outcomes[index] = { kind: 'created', id: item.request.id };
            created++;
          } else {
            this.#outcomes[index] = { kind: 'refused', problem: problemOf(item) };
          }
        }
        call.done = true;
      }
      this.#checks.forEach((check, index) => {
        if (check && !check.ok) {
          this.#outcomes[index] = { kind: 'notSubmitted', problem: check.problem };
        }
      });
      this.#submitFailed = false;
      this.#message = null;
    } catch (error) {
      if (upload !== this.#upload || isSessionEnd(error)) return;
      this.#submitFailed = true;
      this.#say('alert', () => [...problemNodes(error), ' ', t('batchCreateFailed')]);
    } finally {
      button.removeAttribute('aria-disabled');
      if (upload === this.#upload) {
        this.#busy = false;
        this.render();
      }
    }
    if (upload !== this.#upload) return;
    if (this.#isDone()) byId('batch-rows-title').focus();
    if (created) await this.#onCreated();
  }

  async #downloadResults() {
    if (!this.#isDone()) return;
    const csv = resultsCsv(
      this.#rows,
      /** @type {RowOutcome[]} */ (this.#outcomes),
      await loadPapa(),
    );
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
    const link = h('a', { href: url, download: resultsFileName(this.#fileName ?? '', new Date()) });
    document.body.append(link);
    link.click();
    link.remove();
    // The download has its own copy once it started; the URL only has to outlive the click.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  /**
   * @param {Message['region']} region
   * @param {Message['words']} words
   */
  #say(region, words) {
    this.#message = { region, words };
    this.render();
  }

  /** @param {number} index */
  #bodyAt(index) {
    return bodyOf(/** @type {CsvRow} */ (this.#rows[index]).values);
  }

  #isSubmitting() {
    return this.#busy && this.#calls !== null;
  }

  #readyRows() {
    return this.#rows.flatMap((_, index) => (this.#checks[index]?.ok ? [index] : []));
  }

  #isChecked() {
    return this.#rows.length > 0 && this.#checks.every((check) => check !== null);
  }

  #isDone() {
    return this.#rows.length > 0 && this.#outcomes.every((outcome) => outcome !== null);
  }

  #checkedSummary() {
    const ready = this.#readyRows().length;
    return t('batchChecked', {
      rows: this.#rows.length,
      ready,
      errors: this.#rows.length - ready,
    });
  }

  #doneSummary() {
    const created = this.#outcomes.filter((outcome) => outcome?.kind === 'created').length;
    return t('batchDone', { created, notCreated: this.#rows.length - created });
  }

  #renderProblems() {
    const box = byId('batch-problems');
    box.hidden = this.#problems.length === 0;
    const listed = this.#problems
      .slice(0, MAX_LISTED_PROBLEMS)
      .map((problem) => h('li', {}, problemWords(problem)));
    const more = this.#problems.length - listed.length;
    if (more > 0) listed.push(h('li', {}, t('batchMoreProblems', { n: more })));
    byId('batch-problems-list').replaceChildren(...listed);
  }

  #renderRows() {
    const shown = this.#rows.length > 0;
    byId('batch-rows').hidden = !shown;
    if (!shown) return;
    const done = this.#isDone();
    byId('batch-rows-title').textContent = t(done ? 'batchResultsTitle' : 'batchRowsTitle', {
      file: this.#fileName ?? '',
    });
    byId('batch-summary').textContent = done
      ? this.#doneSummary()
      : this.#isChecked()
        ? this.#checkedSummary()
        : '';
    byId('batch-body').replaceChildren(...this.#rows.map((row, index) => this.#row(row, index)));

    const ready = this.#readyRows().length;
    const someRefused = this.#isChecked() && ready < this.#rows.length;
    byId('batch-submit-note').hidden = done || !someRefused;
    byId('batch-submit-note').textContent = t('batchOnlyReady');
    this.#submit.hidden = done;
    // While a submit runs the button is aria-disabled (#create): disabling it would drop focus.
    this.#submit.disabled = !this.#isChecked() || ready === 0;
    this.#submit.textContent = this.#submitFailed
      ? t('batchCreateAgain')
      : ready === 1
        ? t('batchCreateOne')
        : t('batchCreate', { n: ready });
    this.#recheck.hidden = this.#busy || this.#isChecked() || this.#calls !== null;
    this.#download.hidden = !done;
  }

  /**
   * @param {CsvRow} row
   * @param {number} index
   */
  #row(row, index) {
    const outcome = this.#outcomes[index] ?? null;
    const check = this.#checks[index] ?? null;
    const problem = outcome
      ? outcome.kind === 'created'
        ? null
        : outcome.problem
      : check && !check.ok
        ? check.problem
        : null;
    const badFields = new Set(
      (problem?.errors ?? []).map((error) => fieldOfError(error.path)).filter(Boolean),
    );
    /** @param {BatchField} field */
    const cell = (field) => {
      const value = row.values[field];
      const content =
        field === 'userEmails' && value
          ? h(
              'ul',
              { class: 'batch-emails' },
              ...(bodyOf(row.values).userEmails?.map((email) => h('li', {}, email)) ?? []),
            )
          : value;
      return h(
        'td',
        badFields.has(field) ? { class: 'batch-value bad' } : { class: 'batch-value' },
        content,
      );
    };
    return h(
      'tr',
      { 'data-row': String(row.number), 'data-result': resultKind(outcome, check) },
      h('th', { scope: 'row' }, String(row.number)),
      // Next to the row number, where it shows without scrolling the values.
      h('td', { class: 'batch-result' }, ...this.#result(row, outcome, check, problem)),
      ...BATCH_FIELDS.map(cell),
    );
  }

  /**
   * @param {CsvRow} row
   * @param {RowOutcome | null} outcome
   * @param {RowCheck | null} check
   * @param {Partial<Problem> | null} problem
   * @returns {(Node | string)[]}
   */
  #result(row, outcome, check, problem) {
    const kind = resultKind(outcome, check);
    /** @type {(Node | string)[]} */
    const shown = [h('span', { class: 'badge', 'data-result': kind }, t(RESULT_WORDS[kind]))];
    if (outcome?.kind === 'created') {
      shown.push(
        ' ',
        h(
          'a',
          { href: requestHash(outcome.id), class: 'request-link' },
          t('batchOpenRequest'),
          h('span', { class: 'visually-hidden' }, ` ${row.values.accountName}`),
        ),
      );
    }
    if (problem) shown.push(problemList(problem));
    return shown;
  }
}

/** @typedef {'unchecked' | 'ready' | 'invalid' | 'created' | 'refused' | 'notSubmitted'} ResultKind */

/** @type {Record<ResultKind, TextKey>} */
const RESULT_WORDS = {
  unchecked: 'batchResultUnchecked',
  ready: 'batchResultReady',
  invalid: 'batchResultInvalid',
  created: 'batchResultCreated',
  refused: 'batchResultRefused',
  notSubmitted: 'batchResultNotSubmitted',
};

/**
 * @param {RowOutcome | null} outcome
 * @param {RowCheck | null} check
 * @returns {ResultKind}
 */
const resultKind = (outcome, check) =>
  outcome ? outcome.kind : !check ? 'unchecked' : check.ok ? 'ready' : 'invalid';

/**
 * An item the API did not create or would not: its problem (a single create's body).
 * @param {BatchItemResult} item
 * @returns {Partial<Problem>}
 */
const problemOf = (item) => item.problem ?? { status: item.status };

/**
 * A row's errors: each field error under the column's name, or the problem's detail with its
 * error id (a 409, a 503: something support may be asked about).
 * @param {Partial<Problem>} problem
 */
function problemList(problem) {
  const errors = problem.errors ?? [];
  if (!errors.length) {
    // As the console words any refusal: the API's detail and the error id to quote.
    return h(
      'p',
      { class: 'batch-problem' },
      ...problemNodes(new ApiError(problem.status ?? 0, problem)),
    );
  }
  return h(
    'ul',
    { class: 'batch-errors' },
    ...errors.map((error) => {
      const field = fieldOfError(error.path);
      return h('li', {}, `${field ? fieldLabel(field) : error.path}: ${error.message}`);
    }),
  );
}

/**
 * @param {CsvProblem} problem
 * @returns {string}
 */
function problemWords(problem) {
  switch (problem.kind) {
    case 'empty':
      return t('csvEmpty');
    case 'notText':
      return t('csvNotText');
    case 'noRows':
      return t('csvNoRows');
    case 'tooManyRows':
      return t('csvTooManyRows', { rows: problem.rows, max: problem.max });
    case 'unknownColumns':
      return t('csvUnknownColumns', {
        columns: problem.columns.join(', '),
        known: BATCH_FIELDS.join(', '),
      });
    case 'duplicateColumns':
      return t('csvDuplicateColumns', { columns: problem.columns.join(', ') });
    case 'missingColumns':
      return t('csvMissingColumns', { columns: problem.columns.join(', ') });
    case 'unnamedColumn':
      return t('csvUnnamedColumn', { position: problem.position });
    case 'extraValues':
      return t('csvExtraValues', { row: problem.row });
    case 'parse': {
      const words =
        problem.code === 'MissingQuotes' || problem.code === 'InvalidQuotes'
          ? t('csvQuotes')
          : problem.message;
      return problem.row === null
        ? words
        : t('csvRowProblem', { row: problem.row, problem: words });
    }
  }
}
