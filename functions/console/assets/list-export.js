/** @import { ApiClient } from './api-client.js' */
/** @import { ListFilters } from './list-filters.js' */
import { element, h } from './dom.js';
import {
  collectRequests,
  EXPORT_MAX_ROWS,
  EXPORT_PAGE_SIZE,
  exportCsv,
  exportFileName,
} from './export-csv.js';
import { formatNumber, t } from './i18n.js';
import { apiFilters } from './list-filters.js';
import { isSessionEnd, problemNodes, say } from './messages.js';
import { loadPapa } from './papaparse-loader.js';

/**
 * "Export (CSV)" under the list: every request of the filters shown, read a hundred at a time,
 * as one CSV download. The filters are taken when the export starts, so changing them
 * meanwhile does not mix two lists in one file. One export at a time.
 */

/**
 * @typedef {{
 *   api: ApiClient,
 *   filters: () => ListFilters,
 * }} ListExportOptions
 */

export class ListExport {
  /** @type {ApiClient} */
  #api;
  /** @type {() => ListFilters} */
  #filters;
  #button = element('export-csv', HTMLButtonElement);
  #region = element('export-status', HTMLElement);
  #running = false;
  /** @type {(() => (Node | string)[]) | null} the last message, rendered again in another language */
  #message = null;

  /** @param {ListExportOptions} options `filters` reads the list's filters */
  constructor({ api, filters }) {
    this.#api = api;
    this.#filters = filters;
    this.#button.addEventListener('click', () => void this.#export());
    this.render();
  }

  render() {
    element('export-hint', HTMLElement).textContent = t('exportHint', {
      max: formatNumber(EXPORT_MAX_ROWS),
    });
    say(this.#region, ...(this.#message?.() ?? []));
  }

  /** Forgets the last export's message (sign-out). */
  reset() {
    this.#message = null;
    this.render();
  }

  async #export() {
    // aria-disabled rather than disabled: the button keeps focus while it runs.
    if (this.#running) return;
    this.#running = true;
    this.#button.setAttribute('aria-disabled', 'true');
    const filters = this.#filters();
    const query = apiFilters(filters);
    try {
      this.#show(() => [t('exportReading', { n: formatNumber(0) })]);
      const [papa, { requests, complete }] = await Promise.all([
        loadPapa(),
        collectRequests({
          readPage: (cursor) =>
            this.#api.list({ limit: EXPORT_PAGE_SIZE, ...query, ...(cursor && { cursor }) }),
          onProgress: (read) => this.#show(() => [t('exportReading', { n: formatNumber(read) })]),
        }),
      ]);
      download(exportCsv(requests, papa), exportFileName(filters, new Date()));
      this.#show(() => [
        complete
          ? t('exportDone', { n: formatNumber(requests.length) })
          : t('exportCapped', { n: formatNumber(requests.length) }),
      ]);
    } catch (error) {
      if (isSessionEnd(error)) return;
      this.#show(() => [t('exportFailed'), ' ', ...problemNodes(error)]);
    } finally {
      this.#running = false;
      this.#button.removeAttribute('aria-disabled');
    }
  }

  /** @param {() => (Node | string)[]} message */
  #show(message) {
    this.#message = message;
    say(this.#region, ...message());
  }
}

/**
 * @param {string} csv
 * @param {string} fileName
 */
function download(csv, fileName) {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = h('a', { href: url, download: fileName });
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once it started; the URL only has to outlive the click.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
