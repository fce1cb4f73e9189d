/** @import { ApiClient, Problem, StoredRequest } from './api-client.js' */
/** @import { ListFilters } from './list-filters.js' */
import { ApiError } from './api-client.js';
import { byId, control, h } from './dom.js';
import { showFieldErrors } from './field-errors.js';
import { t, timeElement } from './i18n.js';
import { ListExport } from './list-export.js';
import {
  apiFilters,
  filtersOfQuery,
  hasFilters,
  hashOfFilters,
  inputOfPath,
  NO_FILTERS,
  sameFilters,
} from './list-filters.js';
import { accountLabel, clearMessages, isSessionEnd, problemNodes, say } from './messages.js';
import { requestHash } from './routes.js';
import { StatusTabs } from './status-tabs.js';

/**
 * The partner's requests: one page at a time, newest first (by expiry with "expires before"),
 * filtered by a status tab, a search by domain or customer address and an expiry day, with
 * resend and cancel on pending rows. Each row's account name links to the request's page,
 * which has every detail, so the table keeps to the columns that tell requests apart and
 * fits its card. The filters live in the URL's hash (list-filters.js): changing them changes
 * the hash, which the console's router hands back to `showFilters`, so reload, back and a
 * shared link show the same list. The list holds its filters, page position and rows.
 */

const pageSize = 20;

/** The search form's inputs, which show the API's field errors about them. */
const FILTER_INPUTS = /** @type {const} */ (['list-search', 'list-expires-before']);

/**
 * @typedef {{
 *   api: ApiClient,
 *   onCancel: (request: StoredRequest) => void,
 * }} RequestListOptions
 */

export class RequestList {
  /** @type {ApiClient} */
  #api;
  /** @type {RequestListOptions['onCancel']} */
  #onCancel;
  /** @type {string | null} the cursor of the page shown; null for the first */
  #cursor = null;
  /** @type {string | null} */
  #nextCursor = null;
  #page = 1;
  /** @type {StoredRequest[]} */
  #items = [];
  /** @type {ListFilters} the filters of the rows shown (or being loaded) */
  #filters = NO_FILTERS;
  /** The API refused the filters (a field error shows at its input): no rows, no "none found". */
  #refused = false;
  /** Bumped by each load: a page that comes back after a newer load started is dropped. */
  #loading = 0;
  /** @type {StatusTabs} */
  #tabs;
  /** @type {ListExport} */
  #export;

  /** @param {RequestListOptions} options `onCancel` asks the partner to confirm a cancel */
  constructor({ api, onCancel }) {
    this.#api = api;
    this.#onCancel = onCancel;
    this.#tabs = new StatusTabs({
      api,
      // What the search box holds goes with the tab, searched yet or not: they combine.
      onSelect: (status) => this.#navigate({ ...this.#typedFilters(), status }),
    });
    this.#export = new ListExport({ api, filters: () => this.#filters });
    byId('list-search-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.#navigate(this.#typedFilters());
    });
    for (const id of ['clear-filters', 'clear-filters-empty']) {
      byId(id).addEventListener('click', () => {
        this.#navigate(NO_FILTERS);
        // The button is hidden once there are no filters; the search box is where to go on.
        control('list-search').focus();
      });
    }
    byId('refresh').addEventListener('click', async () => {
      clearMessages();
      await this.load();
    });
    byId('first-page').addEventListener('click', () => this.#changePage({ first: true }));
    byId('next-page').addEventListener('click', () => this.#changePage({ next: true }));
    this.#showFilterValues();
    this.render();
  }

  /**
   * Takes the filters of the list's hash query (routes.js); other filters start at the first
   * page. The caller loads the list.
   * @param {string} query what follows `#/?`, or ''
   * @returns {boolean} whether the filters changed
   */
  showFilters(query) {
    const filters = filtersOfQuery(query);
    const changed = !sameFilters(filters, this.#filters);
    this.#filters = filters;
    // Also when unchanged: coming back to the list puts what was typed and not searched back
    // to what the list shows.
    this.#showFilterValues();
    if (changed) {
      this.#cursor = null;
      this.#nextCursor = null;
      this.#page = 1;
    }
    return changed;
  }

  /** The hash of the list as it is filtered, for a way back to it. */
  get hash() {
    return hashOfFilters(this.#filters);
  }

  /**
   * @returns {Promise<boolean>} whether the key was accepted: the list loaded, or the API
   *   refused a filter (which shows at its input)
   */
  async load() {
    const loading = ++this.#loading;
    const table = byId('requests-table');
    table.setAttribute('aria-busy', 'true');
    try {
      const page = await this.#api.list({
        limit: pageSize,
        ...apiFilters(this.#filters),
        ...(this.#cursor && { cursor: this.#cursor }),
      });
      if (loading !== this.#loading) return true;
      this.#items = page.items;
      this.#nextCursor = page.nextCursor;
      this.#refused = false;
      this.#showFieldErrors();
      say(alertRegion());
      this.render();
      // Every load of the list (after a create, a cancel, a batch, a refresh) reads the
      // counts again.
      void this.#tabs.refresh();
      return true;
    } catch (error) {
      // First: a 401 ends the session, which resets the list (a newer load, in effect).
      if (isSessionEnd(error)) return false;
      if (loading !== this.#loading) return true;
      const refused = error instanceof ApiError && error.status === 400;
      if (refused) {
        // The rows shown are not of the filters the form now shows.
        this.#refused = true;
        this.#items = [];
        this.#nextCursor = null;
        this.#showFieldErrors(error.problem);
        this.render();
      }
      // The list is hidden before sign-in, so a failed first load reports next to the key.
      const region = byId('workspace').hidden && !refused ? byId('sign-in-message') : alertRegion();
      say(region, ...problemNodes(error));
      return refused;
    } finally {
      if (loading === this.#loading) table.removeAttribute('aria-busy');
    }
  }

  render() {
    const filtered = hasFilters(this.#filters);
    const empty = this.#items.length === 0 && !this.#refused;
    byId('requests-body').replaceChildren(...this.#items.map((request) => this.#row(request)));
    byId('requests-empty').hidden = !empty || filtered;
    byId('requests-no-match').hidden = !empty || !filtered;
    byId('clear-filters').hidden = !filtered;
    // The counts are of all the partner's requests, not of what a search found.
    byId('status-tabs-note').hidden = !this.#filters.q && !this.#filters.expiresBefore;
    byId('first-page').toggleAttribute('disabled', this.#cursor === null);
    byId('next-page').toggleAttribute('disabled', this.#nextCursor === null);
    byId('page-number').textContent = t('pageNumber', { n: this.#page });
    this.#tabs.render();
    this.#export.render();
  }

  /** Forgets the rows, the filters, the counts and the page position (sign-out). */
  reset() {
    this.#loading += 1;
    this.#cursor = null;
    this.#nextCursor = null;
    this.#page = 1;
    this.#items = [];
    this.#refused = false;
    this.#filters = NO_FILTERS;
    this.#showFilterValues();
    this.#showFieldErrors();
    this.#tabs.reset();
    this.#export.reset();
    this.render();
  }

  /** Back to the newest requests, where a request just created shows. */
  async showFirstPage() {
    this.#cursor = null;
    this.#page = 1;
    await this.load();
    this.#tabs.refreshSoon();
  }

  /**
   * Focus back on a request's row after its page closes; the list's heading when the row is
   * not on the page shown (it was opened from a link, or it moved).
   * @param {string} id
   */
  focusRow(id) {
    const link = document.querySelector(`tr[data-id="${CSS.escape(id)}"] a.request-link`);
    if (link instanceof HTMLElement) link.focus();
    else byId('requests-title').focus();
  }

  /** @param {StoredRequest} request */
  async showCancelled(request) {
    say(statusRegion(), t('cancelled', { account: accountLabel(request) }));
    await this.load();
    this.#tabs.refreshSoon();
  }

  /**
   * The cancel failed (for example the request was decided meanwhile): say why and show the
   * request as it is now.
   * @param {unknown} error
   */
  async showCancelFailure(error) {
    say(alertRegion(), ...problemNodes(error));
    await this.load();
  }

  /**
   * Shows the list of other filters by changing the hash: the router hands them to
   * `showFilters` and loads the list, and the filters get a history entry of their own. The
   * filters shown already load again.
   * @param {ListFilters} filters
   */
  #navigate(filters) {
    clearMessages();
    if (sameFilters(filters, this.#filters)) {
      this.#showFilterValues();
      void this.load();
      return;
    }
    location.hash = hashOfFilters(filters);
  }

  /** @returns {ListFilters} the search form's values with the tab selected */
  #typedFilters() {
    return {
      status: this.#filters.status,
      q: control('list-search').value.trim(),
      expiresBefore: control('list-expires-before').value,
    };
  }

  /** The search form and the tabs as the filters are; links back to the list keep them. */
  #showFilterValues() {
    control('list-search').value = this.#filters.q;
    control('list-expires-before').value = this.#filters.expiresBefore;
    this.#tabs.select(this.#filters.status);
    for (const link of document.querySelectorAll('a[data-list-link]')) {
      link.setAttribute('href', hashOfFilters(this.#filters));
    }
  }

  /**
   * Each of the problem's field errors at the input it is about; without a problem, none.
   * @param {Partial<Problem>} [problem]
   */
  #showFieldErrors(problem) {
    for (const id of FILTER_INPUTS) {
      const messages = (problem?.errors ?? [])
        .filter((fieldError) => inputOfPath(fieldError.path) === id)
        .map((fieldError) => fieldError.message);
      showFieldErrors(id, messages);
    }
  }

  /** @param {{ first?: boolean, next?: boolean }} move */
  async #changePage({ first = false, next = false }) {
    if (first) {
      this.#cursor = null;
      this.#page = 1;
    } else if (next && this.#nextCursor) {
      this.#cursor = this.#nextCursor;
      this.#page += 1;
    }
    clearMessages();
    await this.load();
    // On the first or last page the button just used is disabled and has lost focus.
    if (document.activeElement === document.body) byId('requests-title').focus();
  }

  /** @param {StoredRequest} request */
  #row(request) {
    const pending = request.status === 'PENDING_ACTIVATION';
    const showsExpiry = pending || request.status === 'EXPIRED';
    const actions = pending
      ? [
          actionButton('resend', request, () => this.#resend(request)),
          actionButton('cancel', request, () => this.#onCancel(request)),
        ]
      : [];
    return h(
      'tr',
      { 'data-id': request.id },
      h(
        'td',
        {},
        h('span', { class: 'badge', 'data-status': request.status }, t(`status.${request.status}`)),
        // The customer's own words: shown as text (h escapes), labelled for screen readers.
        ...(request.declineReason
          ? [
              h(
                'p',
                { class: 'decline-reason' },
                h('span', { class: 'visually-hidden' }, `${t('declineReason')} `),
                `“${request.declineReason}”`,
              ),
            ]
          : []),
      ),
      h(
        'td',
        { class: 'account-name' },
        h(
          'a',
          { class: 'request-link', href: requestHash(request.id) },
          request.accountName,
          // Names the row's request apart from others with the same account name.
          h('span', { class: 'visually-hidden' }, ` (${request.accountDomain})`),
        ),
      ),
      h('td', { class: 'domain' }, request.accountDomain),
      h('td', { class: 'nowrap' }, showsExpiry ? timeElement(request.expiresAt) : '—'),
      h('td', {}, h('div', { class: 'row-actions' }, ...actions)),
    );
  }

  /** @param {StoredRequest} request */
  async #resend(request) {
    const button = document.querySelector(
      `tr[data-id="${CSS.escape(request.id)}"] [data-action="resend"]`,
    );
    if (button?.getAttribute('aria-disabled') === 'true') return;
    button?.setAttribute('aria-disabled', 'true');
    clearMessages();
    try {
      await this.#api.resend(request.id);
      say(
        statusRegion(),
        t('resent', { account: accountLabel(request), email: request.customerEmail }),
      );
    } catch (error) {
      if (isSessionEnd(error)) return;
      const limited = error instanceof ApiError && error.status === 429;
      say(
        alertRegion(),
        ...problemNodes(
          error,
          limited ? t('resendLimit', { account: accountLabel(request) }) : undefined,
        ),
      );
      if (error instanceof ApiError && error.status === 409) await this.load();
    } finally {
      button?.removeAttribute('aria-disabled');
    }
  }
}

const statusRegion = () => byId('status');
const alertRegion = () => byId('requests-alert');

/**
 * The visible label is short; the hidden part names the row for screen reader users who
 * reach the button without reading the row.
 * @param {'resend' | 'cancel'} action
 * @param {StoredRequest} request
 * @param {() => void} onClick
 */
function actionButton(action, request, onClick) {
  const button = h(
    'button',
    { type: 'button', class: action === 'cancel' ? 'small danger' : 'small secondary' },
    t(action),
    h('span', { class: 'visually-hidden' }, ` ${request.accountDomain}`),
  );
  button.dataset.action = action;
  button.addEventListener('click', onClick);
  return button;
}
