/** @import { ApiClient, Request, RequestBody, StoredRequest } from './api-client.js' */
/** @import { TextKey } from './i18n.js' */
import { ApiError } from './api-client.js';
import { byId, element, h, isShown } from './dom.js';
import { fieldLabel, languageNames, t, timeElement } from './i18n.js';
import { isSessionEnd, problemNodes, say } from './messages.js';

/**
 * The review: the API's normalized dry run of the form, and the one button that creates it.
 */

/**
 * @typedef {{
 *   api: ApiClient,
 *   returnFocus: HTMLElement,
 *   onCreated: (created: StoredRequest) => Promise<void>,
 *   onRejected: (error: unknown, body: RequestBody) => void,
 * }} ReviewDialogOptions
 */

export class ReviewDialog {
  #dialog = element('review-dialog', HTMLDialogElement);
  #confirmButton = element('review-confirm', HTMLButtonElement);
  #errorRegion = byId('review-error');
  /** @type {ApiClient} */
  #api;
  /** @type {HTMLElement} */
  #returnFocus;
  /** @type {ReviewDialogOptions['onCreated']} */
  #onCreated;
  /** @type {ReviewDialogOptions['onRejected']} */
  #onRejected;
  /** @type {{ body: RequestBody, normalized: Request, idempotencyKey: string } | null} */
  #review = null;

  /**
   * @param {ReviewDialogOptions} options `returnFocus` gets focus when the dialog closes;
   *   `onRejected` gets a create refused with field errors, which belong to the form
   */
  constructor({ api, returnFocus, onCreated, onRejected }) {
    this.#api = api;
    this.#returnFocus = returnFocus;
    this.#onCreated = onCreated;
    this.#onRejected = onRejected;
    byId('review-back').addEventListener('click', () => this.close());
    this.#confirmButton.addEventListener('click', () => this.#confirm());
    this.#dialog.addEventListener('close', () => {
      this.#review = null;
      if (isShown(this.#returnFocus)) this.#returnFocus.focus();
    });
  }

  /**
   * @param {RequestBody} body what the partner typed, sent again on confirm
   * @param {Request} normalized the dry run's answer, shown
   */
  open(body, normalized) {
    // One key for the dialog's lifetime: a double click or a retry after a lost response
    // replays the first create instead of making a second one.
    this.#review = { body, normalized, idempotencyKey: crypto.randomUUID() };
    this.render();
    say(this.#errorRegion);
    this.#dialog.showModal();
    byId('review-title').focus();
  }

  render() {
    if (!this.#review) return;
    const request = this.#review.normalized;
    /** @param {string | null} value */
    const text = (value) => value || t('none');
    /** @type {[TextKey, Node | string][]} */
    const rows = [
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
    ];
    if (request.expiresAt) rows.push(['reviewExpires', timeElement(request.expiresAt)]);
    byId('review-details').replaceChildren(
      ...rows.flatMap(([key, value]) => [h('dt', {}, fieldLabel(key)), h('dd', {}, value)]),
    );
  }

  close() {
    if (this.#dialog.open) this.#dialog.close();
  }

  async #confirm() {
    const review = this.#review;
    const button = this.#confirmButton;
    if (!review || button.getAttribute('aria-disabled') === 'true') return;
    // aria-disabled rather than disabled: a disabled button drops focus out of the dialog.
    button.setAttribute('aria-disabled', 'true');
    say(this.#errorRegion);
    try {
      const created = await this.#api.create(review.body, review.idempotencyKey);
      this.close();
      await this.#onCreated(created);
    } catch (error) {
      if (isSessionEnd(error)) return;
      const errors = error instanceof ApiError ? error.problem.errors : undefined;
      if (Array.isArray(errors) && errors.length) {
        this.close();
        this.#onRejected(error, review.body);
      } else {
        say(this.#errorRegion, ...problemNodes(error));
      }
    } finally {
      button.removeAttribute('aria-disabled');
    }
  }
}
