/** @import { ApiClient, StoredRequest } from './api-client.js' */
import { byId, element, isShown } from './dom.js';
import { t } from './i18n.js';
import { accountLabel, clearMessages, isSessionEnd } from './messages.js';

/** Confirming a cancel: it cannot be undone and the customer is told, so it is asked first. */

/**
 * @typedef {{
 *   api: ApiClient,
 *   landing: HTMLElement,
 *   onCancelled: (request: StoredRequest) => Promise<void>,
 *   onFailed: (error: unknown) => Promise<void>,
 * }} CancelDialogOptions
 */

export class CancelDialog {
  #dialog = element('cancel-dialog', HTMLDialogElement);
  #confirmButton = element('cancel-confirm', HTMLButtonElement);
  /** @type {ApiClient} */
  #api;
  /** @type {HTMLElement} */
  #landing;
  /** @type {CancelDialogOptions['onCancelled']} */
  #onCancelled;
  /** @type {CancelDialogOptions['onFailed']} */
  #onFailed;
  /** @type {StoredRequest | null} */
  #request = null;
  /** @type {HTMLElement | null} where focus returns when the dialog closes */
  #opener = null;

  /**
   * @param {CancelDialogOptions} options `landing` gets focus after a cancel, when the
   *   row's buttons are gone
   */
  constructor({ api, landing, onCancelled, onFailed }) {
    this.#api = api;
    this.#landing = landing;
    this.#onCancelled = onCancelled;
    this.#onFailed = onFailed;
    byId('cancel-keep').addEventListener('click', () => this.#close());
    this.#confirmButton.addEventListener('click', () => this.#confirm());
    this.#dialog.addEventListener('close', () => {
      this.#request = null;
      if (isShown(this.#opener)) this.#opener.focus();
      this.#opener = null;
    });
  }

  /** @param {StoredRequest} request */
  open(request) {
    this.#request = request;
    this.#opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    byId('cancel-text').textContent = t('cancelText', {
      account: accountLabel(request),
      email: request.customerEmail,
    });
    this.#dialog.showModal();
    byId('cancel-title').focus();
  }

  async #confirm() {
    const request = this.#request;
    const button = this.#confirmButton;
    if (!request || button.getAttribute('aria-disabled') === 'true') return;
    button.setAttribute('aria-disabled', 'true');
    clearMessages();
    try {
      await this.#api.cancel(request.id);
      this.#opener = this.#landing;
      this.#close();
      await this.#onCancelled(request);
    } catch (error) {
      if (isSessionEnd(error)) return;
      this.#close();
      await this.#onFailed(error);
    } finally {
      button.removeAttribute('aria-disabled');
    }
  }

  #close() {
    if (this.#dialog.open) this.#dialog.close();
  }
}
