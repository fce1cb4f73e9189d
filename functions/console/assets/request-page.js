/** @import { ApiClient, RequestChanges, StoredRequest } from './api-client.js' */
/** @import { CancelDialog } from './cancel-dialog.js' */
/** @import { TextKey } from './i18n.js' */
import { ApiError } from './api-client.js';
import { byId, element, h, isShown } from './dom.js';
import { EditForm } from './edit-form.js';
import { ExtendForm } from './extend-form.js';
import { fieldLabel, formatDate, languageNames, t, timeElement } from './i18n.js';
import { accountLabel, clearMessages, isSessionEnd, problemNodes, say } from './messages.js';

/**
 * One request's page: every field of the resource, its status history, and the actions that
 * fit its status (resend, extend, correct and cancel while pending; request again once
 * closed). Each action says how it ended in the page's live regions and shows the request as
 * the API then reports it.
 */

/** Statuses after which the domain is free again, so the partner may request it anew. */
const closedStatuses = new Set(['DECLINED', 'CANCELLED', 'EXPIRED', 'FAILED']);

/**
 * @typedef {{
 *   api: ApiClient,
 *   cancelDialog: CancelDialog,
 *   onRequestAgain: (request: StoredRequest) => void,
 * }} RequestPageOptions
 */

/**
 * What the page shows: the loaded request, or why there is none.
 * @typedef {{ kind: 'loading' } | { kind: 'shown', request: StoredRequest }
 *   | { kind: 'missing' } | { kind: 'failed', error: unknown }} PageState
 */

export class RequestPage {
  #section = byId('request-page');
  #heading = byId('request-title');
  #resendButton = element('page-resend', HTMLButtonElement);
  #cancelButton = element('page-cancel', HTMLButtonElement);
  /** @type {ApiClient} */
  #api;
  /** @type {CancelDialog} */
  #cancelDialog;
  /** @type {string | null} the id of the request on the page; null while it is closed */
  #id = null;
  /** @type {PageState} */
  #state = { kind: 'loading' };
  /** Counts loads, so an answer that arrives after a newer load started is dropped. */
  #loads = 0;
  #extend = new ExtendForm({
    onSubmit: (expiresAt) => this.#extendTo(expiresAt),
  });
  #edit = new EditForm({ onSubmit: (changes) => this.#update(changes) });

  /** @param {RequestPageOptions} options */
  constructor({ api, cancelDialog, onRequestAgain }) {
    this.#api = api;
    this.#cancelDialog = cancelDialog;
    this.#resendButton.addEventListener('click', () => this.#resend());
    this.#cancelButton.addEventListener('click', () => this.#cancel());
    byId('request-again').addEventListener('click', () => {
      if (this.#state.kind === 'shown') onRequestAgain(this.#state.request);
    });
  }

  /** The id of the request shown, or null when the page is closed. */
  get openId() {
    return this.#id;
  }

  /**
   * Shows the page for this request and moves focus to its heading once it is loaded, so a
   * screen reader announces which request opened.
   * @param {string} id
   */
  async open(id) {
    this.#id = id;
    this.#state = { kind: 'loading' };
    clearMessages();
    this.#section.hidden = false;
    this.render();
    await this.#load();
    if (this.#id === id) this.#heading.focus();
  }

  /** @returns {string | null} the id of the request that was shown */
  close() {
    const id = this.#id;
    this.#id = null;
    this.#loads += 1;
    this.#section.hidden = true;
    this.#state = { kind: 'loading' };
    document.title = t('title');
    return id;
  }

  render() {
    const state = this.#state;
    const request = state.kind === 'shown' ? state.request : null;
    this.#heading.textContent =
      state.kind === 'shown'
        ? t('requestTitle', { account: accountLabel(state.request) })
        : state.kind === 'missing'
          ? t('requestNotFoundTitle')
          : state.kind === 'failed'
            ? t('requestLoadFailed')
            : t('requestLoading');
    document.title = `${this.#heading.textContent} – ${t('title')}`;
    this.#section.toggleAttribute('aria-busy', state.kind === 'loading');
    byId('request-content').hidden = request === null;
    if (!request) return;
    byId('request-details').replaceChildren(...detailRows(request));
    byId('request-history-body').replaceChildren(
      ...request.history.map((change) =>
        h(
          'tr',
          {},
          h(
            'td',
            {},
            h('span', { class: 'badge', 'data-status': change.status }, statusText(change.status)),
          ),
          h('td', { class: 'nowrap' }, timeElement(change.at, true)),
        ),
      ),
    );
    const pending = request.status === 'PENDING_ACTIVATION';
    byId('pending-actions').hidden = !pending;
    byId('closed-actions').hidden = !closedStatuses.has(request.status);
    this.#extend.render();
  }

  async #load() {
    const id = this.#id;
    if (!id) return;
    const load = ++this.#loads;
    /** @type {PageState} */
    let state;
    try {
      state = { kind: 'shown', request: await this.#api.get(id) };
    } catch (error) {
      if (isSessionEnd(error)) return;
      state =
        error instanceof ApiError && error.status === 404
          ? { kind: 'missing' }
          : { kind: 'failed', error };
    }
    if (load !== this.#loads) return;
    this.#show(state);
  }

  /** @param {PageState} state */
  #show(state) {
    const focused = document.activeElement;
    this.#state = state;
    if (state.kind === 'shown') {
      this.#extend.show(state.request);
      this.#edit.fill(state.request);
    }
    this.render();
    // The action just used may be gone (the request is no longer pending): focus would
    // otherwise fall back to the document's start.
    if (focused instanceof HTMLElement && this.#section.contains(focused) && !isShown(focused)) {
      this.#heading.focus();
    }
    if (state.kind === 'missing') say(alertRegion(), t('requestNotFound'));
    if (state.kind === 'failed') say(alertRegion(), ...problemNodes(state.error));
  }

  async #resend() {
    await this.#act(this.#resendButton, async (request) => {
      const resent = await this.#api.resend(request.id);
      return {
        request: resent,
        message: t('resent', { account: accountLabel(resent), email: resent.customerEmail }),
      };
    });
  }

  /** @param {string} expiresAt */
  async #extendTo(expiresAt) {
    await this.#act(element('extend-button', HTMLButtonElement), async (request) => {
      const extended = await this.#api.extend(request.id, { expiresAt });
      return {
        request: extended,
        message: t('extended', {
          account: accountLabel(extended),
          date: formatDate(extended.expiresAt, true),
        }),
      };
    });
  }

  /** @param {RequestChanges} changes */
  async #update(changes) {
    if (Object.keys(changes).length === 0) {
      clearMessages();
      this.#edit.showErrors([]);
      say(statusRegion(), t('nothingChanged'));
      return;
    }
    await this.#act(element('edit-button', HTMLButtonElement), async (request) => {
      const updated = await this.#api.update(request.id, changes);
      return {
        request: updated,
        message:
          changes.customerEmail === undefined
            ? t('updated', { account: accountLabel(updated) })
            : t('updatedNewLink', { email: updated.customerEmail }),
      };
    });
  }

  #cancel() {
    if (this.#state.kind !== 'shown') return;
    this.#cancelDialog.open(this.#state.request, {
      landing: this.#heading,
      onCancelled: async (cancelled) => {
        this.#show({ kind: 'shown', request: cancelled });
        say(statusRegion(), t('cancelled', { account: accountLabel(cancelled) }));
      },
      onFailed: (error) => this.#explain(error),
    });
  }

  /**
   * One action on the request shown: its button is inert while it runs (aria-disabled keeps
   * focus on it, where `disabled` would drop it), the regions start empty, and the page then
   * shows the request as the API answered it.
   * @param {HTMLButtonElement} button
   * @param {(request: StoredRequest) => Promise<{ request: StoredRequest, message: string }>} run
   */
  async #act(button, run) {
    const state = this.#state;
    if (state.kind !== 'shown' || button.getAttribute('aria-disabled') === 'true') return;
    const id = this.#id;
    button.setAttribute('aria-disabled', 'true');
    clearMessages();
    try {
      const { request, message } = await run(state.request);
      if (this.#id !== id) return;
      this.#show({ kind: 'shown', request });
      say(statusRegion(), message);
    } catch (error) {
      if (this.#id === id) await this.#explain(error);
    } finally {
      button.removeAttribute('aria-disabled');
    }
  }

  /**
   * An action was refused. Field errors go to their fields; a request decided, cancelled or
   * expired meanwhile (409), or gone (404), is said politely and shown as it now is.
   * @param {unknown} error
   */
  async #explain(error) {
    if (isSessionEnd(error)) return;
    const status = error instanceof ApiError ? error.status : 0;
    const errors = error instanceof ApiError ? (error.problem.errors ?? []) : [];
    if (status === 400 && errors.length) {
      const others = this.#edit.showErrors(this.#extend.showErrors(errors));
      say(alertRegion(), others.length ? others.map((e) => e.message).join(' ') : t('fixFields'));
      if (!this.#edit.focusInvalid()) this.#extend.focusInvalid();
      return;
    }
    if (status === 409 || status === 404) {
      await this.#load();
      const now = this.#state;
      if (now.kind === 'shown' && now.request.status !== 'PENDING_ACTIVATION') {
        say(alertRegion(), t('notPending', { status: statusText(now.request.status) }));
        return;
      }
      if (now.kind !== 'shown') return;
    }
    const request = this.#state.kind === 'shown' ? this.#state.request : null;
    const limited = status === 429 && request;
    say(
      alertRegion(),
      ...problemNodes(
        error,
        limited ? t('resendLimit', { account: accountLabel(request) }) : undefined,
      ),
    );
  }
}

const statusRegion = () => byId('request-status');
const alertRegion = () => byId('request-alert');

/** @param {StoredRequest['status']} status */
const statusText = (status) => t(`status.${status}`);

/**
 * Every field of the resource, as a definition list's terms and descriptions.
 * @param {StoredRequest} request
 */
function detailRows(request) {
  /** @param {string | null} value */
  const text = (value) => value || t('none');
  /** @type {[TextKey, Node | string][]} */
  const rows = [
    ['requestId', h('code', {}, request.id)],
    [
      'colStatus',
      h('span', { class: 'badge', 'data-status': request.status }, statusText(request.status)),
    ],
    ['accountName', request.accountName],
    ['accountDomain', request.accountDomain],
    ['customerEmail', request.customerEmail],
    ['noteToCustomer', text(request.noteToCustomer)],
    [
      'userEmails',
      request.userEmails.length
        ? h('ul', {}, ...request.userEmails.map((email) => h('li', {}, email)))
        : t('none'),
    ],
    ['noteToUsers', text(request.noteToUsers)],
    ['locale', languageNames[request.locale]],
    ['createdAt', timeElement(request.createdAt, true)],
    ['expiresAt', timeElement(request.expiresAt, true)],
    ['activatedAt', timeElement(request.activatedAt, true)],
    ['closedAt', timeElement(request.closedAt, true)],
    // The customer's own words: a text node, as everything user-supplied.
    ['customerReason', request.declineReason ? `“${request.declineReason}”` : t('none')],
    ['remindersSent', String(request.remindersSent)],
    [
      'nextReminderAt',
      request.nextReminderAt ? timeElement(request.nextReminderAt, true) : t('noReminderDue'),
    ],
  ];
  return rows.flatMap(([key, value]) => [h('dt', {}, fieldLabel(key)), h('dd', {}, value)]);
}
