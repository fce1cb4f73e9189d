/** @import { ApiClient, StoredRequest } from './api-client.js' */
import { ApiError } from './api-client.js';
import { byId, control, h } from './dom.js';
import { t, timeElement } from './i18n.js';
import { accountLabel, clearMessages, isSessionEnd, problemNodes, say } from './messages.js';
import { requestHash } from './routes.js';

/**
 * The partner's requests: one page at a time, newest first, optionally of one status, with
 * resend and cancel on pending rows. Each row's account name links to the request's page,
 * which has every detail, so the table keeps to the columns that tell requests apart and
 * fits its card. The list holds its own page position and rows.
 */

const pageSize = 20;

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

  /** @param {RequestListOptions} options `onCancel` asks the partner to confirm a cancel */
  constructor({ api, onCancel }) {
    this.#api = api;
    this.#onCancel = onCancel;
    byId('status-filter').addEventListener('change', () => this.#changePage({ first: true }));
    byId('refresh').addEventListener('click', async () => {
      clearMessages();
      await this.load();
    });
    byId('first-page').addEventListener('click', () => this.#changePage({ first: true }));
    byId('next-page').addEventListener('click', () => this.#changePage({ next: true }));
    this.render();
  }

  /** @returns {Promise<boolean>} whether the list loaded */
  async load() {
    const status = control('status-filter').value;
    const table = byId('requests-table');
    table.setAttribute('aria-busy', 'true');
    try {
      const page = await this.#api.list({
        limit: pageSize,
        // The filter's options are the contract's statuses (index.html; checked by a test).
        ...(status && { status: /** @type {StoredRequest['status']} */ (status) }),
        ...(this.#cursor && { cursor: this.#cursor }),
      });
      this.#items = page.items;
      this.#nextCursor = page.nextCursor;
      say(alertRegion());
      this.render();
      return true;
    } catch (error) {
      if (!isSessionEnd(error)) {
        // The list is hidden before sign-in, so a failed first load reports next to the key.
        const region = byId('workspace').hidden ? byId('sign-in-message') : alertRegion();
        say(region, ...problemNodes(error));
      }
      return false;
    } finally {
      table.removeAttribute('aria-busy');
    }
  }

  render() {
    byId('requests-body').replaceChildren(...this.#items.map((request) => this.#row(request)));
    byId('requests-empty').hidden = this.#items.length > 0;
    byId('first-page').toggleAttribute('disabled', this.#cursor === null);
    byId('next-page').toggleAttribute('disabled', this.#nextCursor === null);
    byId('page-number').textContent = t('pageNumber', { n: this.#page });
  }

  /** Forgets the rows and the page position (sign-out). */
  reset() {
    this.#cursor = null;
    this.#nextCursor = null;
    this.#page = 1;
    this.#items = [];
    this.render();
  }

  /** Back to the newest requests, where a request just created shows. */
  async showFirstPage() {
    this.#cursor = null;
    this.#page = 1;
    await this.load();
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
