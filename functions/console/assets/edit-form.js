/** @import { FieldError, RequestChanges, StoredRequest } from './api-client.js' */
import { control, element } from './dom.js';
import { fieldOfPath, showFieldErrors } from './field-errors.js';
import { splitEmails } from './form.js';
import { isLang } from './i18n.js';

/**
 * Correcting a pending request: the fields `PATCH …/{id}` may change, filled in from the
 * request. Only what the partner changed is sent, so an untouched customer address never
 * mails a new link.
 */

/** The fields in page order; each control's id is `edit-<field>`. */
const fields = /** @type {const} */ ([
  'customerEmail',
  'noteToCustomer',
  'userEmails',
  'noteToUsers',
  'locale',
]);

/** @param {(typeof fields)[number]} field */
const idOf = (field) => `edit-${field}`;

/** @param {(typeof fields)[number]} field */
const typedIn = (field) => control(idOf(field)).value;

/** @param {readonly string[]} a @param {readonly string[]} b */
const sameAddresses = (a, b) =>
  a.length === b.length && a.every((email, index) => email.toLowerCase() === b[index]);

export class EditForm {
  #form = element('edit-form', HTMLFormElement);
  /** @type {StoredRequest | null} */
  #request = null;
  /** @type {RequestChanges} the changes the errors shown refer to */
  #sent = {};

  /** @param {{ onSubmit: (changes: RequestChanges) => Promise<void> }} options */
  constructor({ onSubmit }) {
    this.#form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!this.#request) return;
      this.#sent = this.changes();
      await onSubmit(this.#sent);
    });
  }

  /**
   * The request's current values, without errors. Called when the request is (re)loaded, not
   * on a language switch, so nothing the partner typed is lost to a re-render.
   * @param {StoredRequest} request
   */
  fill(request) {
    this.#request = request;
    control(idOf('customerEmail')).value = request.customerEmail;
    control(idOf('noteToCustomer')).value = request.noteToCustomer ?? '';
    control(idOf('userEmails')).value = request.userEmails.join('\n');
    control(idOf('noteToUsers')).value = request.noteToUsers ?? '';
    control(idOf('locale')).value = request.locale;
    this.showErrors([]);
  }

  /**
   * What differs from the request as loaded. The server stores addresses lower-cased and
   * notes trimmed, so a change of case or spacing alone is no change; a note emptied is sent
   * as null, which removes it.
   * @returns {RequestChanges}
   */
  changes() {
    const request = this.#request;
    if (!request) return {};
    /** @type {RequestChanges} */
    const changes = {};
    const customerEmail = typedIn('customerEmail').trim();
    if (customerEmail.toLowerCase() !== request.customerEmail) {
      changes.customerEmail = customerEmail;
    }
    const noteToCustomer = typedIn('noteToCustomer').trim();
    if (noteToCustomer !== (request.noteToCustomer ?? '')) {
      changes.noteToCustomer = noteToCustomer || null;
    }
    const userEmails = splitEmails(typedIn('userEmails'));
    if (!sameAddresses(userEmails, request.userEmails)) changes.userEmails = userEmails;
    const noteToUsers = typedIn('noteToUsers').trim();
    if (noteToUsers !== (request.noteToUsers ?? '')) changes.noteToUsers = noteToUsers || null;
    const locale = typedIn('locale');
    if (isLang(locale) && locale !== request.locale) changes.locale = locale;
    return changes;
  }

  /**
   * Shows each error on its field; `userEmails.2` names the address it is about.
   * @param {FieldError[]} errors
   * @returns {FieldError[]} the errors no field of this form is about
   */
  showErrors(errors) {
    for (const field of fields) {
      showFieldErrors(
        idOf(field),
        errors
          .filter((error) => fieldOfPath(error.path, fields) === field)
          .map((error) => this.#describe(error)),
      );
    }
    return errors.filter((error) => fieldOfPath(error.path, fields) === null);
  }

  /** Focus on the first field marked invalid; false when none is. */
  focusInvalid() {
    const invalid = this.#form.querySelector('[aria-invalid="true"]');
    if (!(invalid instanceof HTMLElement)) return false;
    invalid.focus();
    return true;
  }

  /** @param {FieldError} error */
  #describe(error) {
    const match = /^userEmails[.[](\d+)/.exec(error.path);
    const address = match ? this.#sent.userEmails?.[Number(match[1])] : undefined;
    return address ? `${address}: ${error.message}` : error.message;
  }
}
