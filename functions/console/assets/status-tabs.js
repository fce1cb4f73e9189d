/** @import { ApiClient, Status, StatusCounts } from './api-client.js' */
import { byId, element } from './dom.js';
import { formatNumber } from './i18n.js';
import { isSessionEnd } from './messages.js';

/**
 * The status tabs above the list (index.html `#status-tabs`): "All" and one per status, each
 * with its count from `GET …/counts`. Selecting a tab is the partner's choice of a filter, so
 * the tabs only report it (`onSelect`); the list decides what is selected (`select`). Arrow
 * keys, Home and End move between the tabs and Enter or Space selects one (manual activation:
 * every selection loads a page from the API, so moving through the tabs must not).
 */

/**
 * @typedef {{
 *   api: ApiClient,
 *   onSelect: (status: Status | null) => void,
 * }} StatusTabsOptions
 */

/**
 * When `refreshSoon` reads again, in milliseconds: locally a change is counted within a second;
 * the later read covers a Lambda function that has to start first.
 */
const COUNTS_SETTLE_MS = [1_500, 5_000];

export class StatusTabs {
  /** @type {ApiClient} */
  #api;
  /** @type {HTMLButtonElement[]} */
  #tabs;
  /** @type {StatusCounts | null} null until they are read, or when they could not be */
  #counts = null;
  /** Bumped by each read: an answer that comes back after a newer read started is dropped. */
  #reading = 0;
  /** @type {ReturnType<typeof setTimeout>[]} the reads `refreshSoon` planned */
  #planned = [];

  /** @param {StatusTabsOptions} options */
  constructor({ api, onSelect }) {
    this.#api = api;
    this.#tabs = [...byId('status-tabs').querySelectorAll('[role="tab"]')].filter(
      (tab) => tab instanceof HTMLButtonElement,
    );
    for (const tab of this.#tabs) {
      tab.addEventListener('click', () => onSelect(statusOf(tab)));
      tab.addEventListener('keydown', (event) => this.#move(event, tab));
    }
    this.render();
  }

  /** @param {Status | null} status */
  select(status) {
    for (const tab of this.#tabs) {
      const selected = statusOf(tab) === status;
      tab.setAttribute('aria-selected', String(selected));
      // One tab stop for the whole list of tabs: the selected one.
      tab.tabIndex = selected ? 0 : -1;
      if (selected) byId('requests-panel').setAttribute('aria-labelledby', tab.id);
    }
  }

  /** Reads the counts again; the tabs keep their last counts if that fails. */
  async refresh() {
    const reading = ++this.#reading;
    try {
      const counts = await this.#api.counts();
      if (reading !== this.#reading) return;
      this.#counts = counts;
      this.render();
    } catch (error) {
      // The list beside them reports what is wrong with the service; a count is not worth a
      // second message. A 401 has ended the session already.
      if (isSessionEnd(error)) return;
    }
  }

  /**
   * Reads the counts again a little later, after a change made here (a create, a cancel, a
   * batch): the counters follow a request's change by a step of its workflow (its first step
   * for a new request, the settling for a close), a second or so after the API answered, so a
   * read right after the change can still show the counts before it.
   */
  refreshSoon() {
    this.#cancelPlanned();
    this.#planned = COUNTS_SETTLE_MS.map((ms) => setTimeout(() => void this.refresh(), ms));
  }

  /** Forgets the counts (sign-out). */
  reset() {
    this.#cancelPlanned();
    this.#reading += 1;
    this.#counts = null;
    this.render();
  }

  render() {
    for (const tab of this.#tabs) {
      const status = statusOf(tab);
      const count = this.#counts && countOf(this.#counts, status);
      element(`${tab.id}-count`, HTMLSpanElement).textContent =
        count === null ? '' : ` (${formatNumber(count)})`;
    }
  }

  #cancelPlanned() {
    for (const planned of this.#planned) clearTimeout(planned);
    this.#planned = [];
  }

  /**
   * @param {KeyboardEvent} event
   * @param {HTMLButtonElement} from
   */
  #move(event, from) {
    const index = this.#tabs.indexOf(from);
    const last = this.#tabs.length - 1;
    const to = {
      ArrowRight: index === last ? 0 : index + 1,
      ArrowLeft: index === 0 ? last : index - 1,
      Home: 0,
      End: last,
    }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    this.#tabs[to]?.focus();
  }
}

/**
 * A tab's status: its `data-status`, empty on "All".
 * @param {HTMLElement} tab
 * @returns {Status | null}
 */
const statusOf = (tab) => /** @type {Status | null} */ (tab.dataset.status || null);

/**
 * @param {StatusCounts} counts
 * @param {Status | null} status null: every status
 */
const countOf = (counts, status) =>
  status ? counts[status] : Object.values(counts).reduce((sum, n) => sum + n, 0);
