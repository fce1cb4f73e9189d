/** @import { ApiClient, FieldError, Request, RequestBody } from './api-client.js' */
import { ApiError } from './api-client.js';
import { byId, control, element, h } from './dom.js';
import { fieldOfPath, showFieldErrors } from './field-errors.js';
import { fieldLabel, formatDate, isLang, language, t } from './i18n.js';
import { accountLabel, isSessionEnd, problemNodes, say } from './messages.js';

/**
 * The new-request form: what the partner typed, the field errors the API found in it, and
 * the confirmation once a request is created.
 */

/** The form's fields in page order; each id is the contract's field name. */
const fields = /** @type {const} */ ([
  'accountName',
  'accountDomain',
  'customerEmail',
  'noteToCustomer',
  'userEmails',
  'noteToUsers',
  'locale',
]);

/** @typedef {(typeof fields)[number]} Field */

/**
 * `userEmails.2` belongs to the userEmails field; a path the form has no field for is only
 * listed in the summary.
 * @param {string | undefined} path
 */
const fieldOf = (path) => fieldOfPath(path, fields);

/**
 * Addresses as partners paste them: one per line, or separated by commas or semicolons.
 * @param {string} value
 */
export const splitEmails = (value) =>
  value
    .split(/[\s,;]+/)
    .map((email) => email.trim())
    .filter(Boolean);

/**
 * @typedef {{
 *   api: ApiClient,
 *   onReviewed: (body: RequestBody, normalized: Request) => void,
 * }} RequestFormOptions
 */

export class RequestForm {
  #form = element('request-form', HTMLFormElement);
  /** @type {ApiClient} */
  #api;
  /** @type {RequestFormOptions['onReviewed']} */
  #onReviewed;
  /** @type {RequestBody | null} the body the current field errors refer to */
  #checkedBody = null;
  /** @type {FieldError[]} */
  #fieldErrors = [];
  /** @type {unknown} a failure without field errors, shown in the summary */
  #failure = null;
  /** @type {Request | null} */
  #created = null;
  /** @type {Request | null} the earlier request the form was filled in from ("request again") */
  #prefilledFrom = null;
  #busy = false;

  /**
   * @param {RequestFormOptions} options `onReviewed` gets the body and the API's normalized
   *   dry run of it
   */
  constructor({ api, onReviewed }) {
    this.#api = api;
    this.#onReviewed = onReviewed;
    this.#form.addEventListener('submit', (event) => this.#review(event));
    byId('error-summary-list').addEventListener('click', (event) => {
      const link = event.target instanceof Element ? event.target.closest('a[data-field]') : null;
      if (!(link instanceof HTMLElement)) return;
      event.preventDefault();
      byId(link.dataset.field ?? '').focus();
    });
    control('locale').value = language();
    this.render();
  }

  render() {
    this.#renderErrors();
    this.#renderConfirmation();
  }

  /** Empties the form and forgets its errors and confirmation (sign-out). */
  reset() {
    this.#fieldErrors = [];
    this.#failure = null;
    this.#checkedBody = null;
    this.#created = null;
    this.#prefilledFrom = null;
    this.#clearInputs();
    this.render();
  }

  /**
   * "Request again": the form filled in from a closed request, for the partner to check and
   * submit as a new one. Nothing is sent until they review and confirm it.
   * @param {Request} request
   */
  prefill(request) {
    this.#fieldErrors = [];
    this.#failure = null;
    this.#checkedBody = null;
    this.#created = null;
    this.#clearInputs();
    control('accountName').value = request.accountName;
    control('accountDomain').value = request.accountDomain;
    control('customerEmail').value = request.customerEmail;
    control('noteToCustomer').value = request.noteToCustomer ?? '';
    control('userEmails').value = request.userEmails.join('\n');
    control('noteToUsers').value = request.noteToUsers ?? '';
    control('locale').value = request.locale;
    this.#prefilledFrom = request;
    this.render();
  }

  /**
   * The API refused `body`: field errors go next to their fields, anything else to the
   * summary, and focus to the summary.
   * @param {unknown} error
   * @param {RequestBody} body
   */
  showFailure(error, body) {
    if (isSessionEnd(error)) return;
    const errors = error instanceof ApiError ? error.problem.errors : undefined;
    this.#checkedBody = body;
    this.#fieldErrors = Array.isArray(errors) ? errors : [];
    this.#failure = error;
    this.#renderErrors();
    byId('error-summary').focus();
  }

  /**
   * The request was created: the form empties for the next one and says what happens now.
   * @param {Request} request
   */
  showCreated(request) {
    this.#clearInputs();
    this.#created = request;
    this.#prefilledFrom = null;
    this.#renderConfirmation();
  }

  #clearInputs() {
    this.#form.reset();
    control('locale').value = language();
  }

  /** @param {SubmitEvent} event */
  async #review(event) {
    event.preventDefault();
    if (this.#busy) return;
    this.#busy = true;
    this.#form.setAttribute('aria-busy', 'true');
    this.#fieldErrors = [];
    this.#failure = null;
    this.#created = null;
    this.#prefilledFrom = null;
    this.render();
    const body = this.#read();
    try {
      this.#onReviewed(body, await this.#api.review(body));
    } catch (error) {
      this.showFailure(error, body);
    } finally {
      this.#busy = false;
      this.#form.removeAttribute('aria-busy');
    }
  }

  /** @returns {RequestBody} */
  #read() {
    /** @param {Field} name */
    const value = (name) => control(name).value;
    const locale = value('locale');
    /** @type {RequestBody} */
    const body = {
      accountName: value('accountName'),
      accountDomain: value('accountDomain').trim(),
      customerEmail: value('customerEmail').trim(),
      userEmails: splitEmails(value('userEmails')),
      // The select offers the console's languages, which are the e-mail languages.
      locale: isLang(locale) ? locale : language(),
    };
    // Blank notes are left out: the contract makes them optional, not empty strings.
    const noteToCustomer = value('noteToCustomer').trim();
    if (noteToCustomer) body.noteToCustomer = noteToCustomer;
    const noteToUsers = value('noteToUsers').trim();
    if (noteToUsers) body.noteToUsers = noteToUsers;
    return body;
  }

  /** @param {FieldError} error */
  #describe(error) {
    const match = /^userEmails[.[](\d+)/.exec(error.path);
    const address = match ? this.#checkedBody?.userEmails?.[Number(match[1])] : undefined;
    return address ? `${address}: ${error.message}` : error.message;
  }

  #renderErrors() {
    for (const name of fields) {
      showFieldErrors(
        name,
        this.#fieldErrors
          .filter((error) => fieldOf(error.path) === name)
          .map((error) => this.#describe(error)),
      );
    }

    const hasErrors = this.#fieldErrors.length > 0;
    const failed = this.#failure !== null;
    byId('error-summary').hidden = !hasErrors && !failed;
    byId('error-summary-title').textContent = t(hasErrors ? 'errorSummaryTitle' : 'problemTitle');
    // The summary follows the form's order, whatever order the API listed the errors in.
    /** @param {FieldError} error */
    const rank = (error) => {
      const name = fieldOf(error.path);
      return name === null ? fields.length : fields.indexOf(name);
    };
    byId('error-summary-list').replaceChildren(
      ...this.#fieldErrors
        .toSorted((a, b) => rank(a) - rank(b))
        .map((error) => {
          const name = fieldOf(error.path);
          const text = this.#describe(error);
          if (!name) return h('li', {}, text);
          return h(
            'li',
            {},
            h('a', { href: `#${name}`, 'data-field': name }, `${fieldLabel(name)}: ${text}`),
          );
        }),
    );
    const problem = byId('error-summary-problem');
    problem.replaceChildren(...(failed && !hasErrors ? problemNodes(this.#failure) : []));
    problem.hidden = !failed || hasErrors;
  }

  #renderConfirmation() {
    const region = byId('confirmation');
    const request = this.#created;
    if (!request) {
      const earlier = this.#prefilledFrom;
      say(
        region,
        ...(earlier ? [h('p', {}, t('prefilled', { account: accountLabel(earlier) }))] : []),
      );
      return;
    }
    say(
      region,
      h('h2', {}, t('createdTitle')),
      h(
        'p',
        {},
        t('createdBody', { account: accountLabel(request), email: request.customerEmail }),
      ),
      h(
        'p',
        {},
        `${t('createdStatus')} `,
        h(
          'strong',
          { class: 'badge', 'data-status': request.status },
          t(`status.${request.status}`),
        ),
      ),
      h('p', {}, t('createdExpiry', { date: formatDate(request.expiresAt) })),
    );
  }
}
