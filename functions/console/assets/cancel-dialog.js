/** @import { ApiClient, StoredRequest } from './api-client.js' */
import { byId, element, isShown } from './dom.js';
import { t } from './i18n.js';
import { accountLabel, clearMessages, isSessionEnd } from './messages.js';

/**
 * Confirming a cancel: it cannot be undone and the customer is told, so it is asked first.
 * The list and the request page both open it, each saying what follows a cancel.
 */

/**
 * What happens after the partner confirms, for the view that opened the dialog.
 * @typedef {{
 *   landing: HTMLElement,
 *   onCancelled: (cancelled: StoredRequest) => Promise<void>,
 *   onFailed: (error: unknown) => Promise<void>,
 * }} CancelOutcome
 */

export class CancelDialog {
  #dialog = element('cancel-dialog', HTMLDialogElement);
  #confirmButton = element('cancel-confirm', HTMLButtonElement);
  /** @type {ApiClient} */
  #api;
  /** @type {CancelOutcome | null} */
  #outcome = null;
  /** @type {StoredRequest | null} */
  #request = null;
  /** @type {HTMLElement | null} where focus returns when the dialog closes */
  #opener = null;

  /** @param {{ api: ApiClient }} options */
  constructor({ api }) {
    this.#api = api;
    byId('cancel-keep').addEventListener('click', () => this.#close());
    this.#confirmButton.addEventListener('click', () => this.#confirm());
    this.#dialog.addEventListener('close', () => {
      this.#request = null;
      this.#outcome = null;
      if (isShown(this.#opener)) this.#opener.focus();
      this.#opener = null;
    });
  }

  /**
   * @param {StoredRequest} request
   * @param {CancelOutcome} outcome `landing` gets focus after a cancel, when the button that
   *   opened the dialog is gone
   */
  open(request, outcome) {
    this.#request = request;
    this.#outcome = outcome;
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
    const outcome = this.#outcome;
    const button = this.#confirmButton;
    if (!request || !outcome || button.getAttribute('aria-disabled') === 'true') return;
    button.setAttribute('aria-disabled', 'true');
    clearMessages();
    try {
      const cancelled = await this.#api.cancel(request.id);
      this.#opener = outcome.landing;
      this.#close();
      await outcome.onCancelled(cancelled);
    } catch (error) {
      if (isSessionEnd(error)) return;
      this.#close();
      await outcome.onFailed(error);
    } finally {
      button.removeAttribute('aria-disabled');
    }
  }

  #close() {
    if (this.#dialog.open) this.#dialog.close();
  }
}
