/** @import { FieldError, StoredRequest } from './api-client.js' */
import { byId, element } from './dom.js';
import { fieldOfPath, showFieldErrors } from './field-errors.js';
import { formatDate, t } from './i18n.js';

/**
 * Extending a pending request: a date input bounded by what the API accepts, a day after the
 * current expiry at the earliest and 364 days after the request was made at the latest (a
 * Standard execution runs at most a year; contract). The server decides; the bounds only keep
 * the date picker to days it can accept.
 */

const MAX_EXTENSION_DAYS = 364;
const DAY_MS = 86_400_000;

/** @param {number} n */
const pad = (n) => String(n).padStart(2, '0');

/**
 * A date input's value for the local calendar day of `date`.
 * @param {Date} date
 */
const dayOf = (date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;

/** @param {Pick<StoredRequest, 'createdAt'>} request */
const latestExpiry = (request) =>
  new Date(Date.parse(request.createdAt) + MAX_EXTENSION_DAYS * DAY_MS);

/**
 * The days the date input offers, in the partner's own calendar; null when the request
 * already expires on its latest possible day.
 * @param {Pick<StoredRequest, 'createdAt' | 'expiresAt'>} request
 */
export function extensionLimits(request) {
  const current = new Date(request.expiresAt);
  const latest = latestExpiry(request);
  const min = dayOf(new Date(current.getFullYear(), current.getMonth(), current.getDate() + 1));
  const max = dayOf(latest);
  return min <= max ? { min, max, earliest: `${min}T00:00`, latest } : null;
}

/**
 * The new expiry for a chosen day: that day at the current expiry's time of day, so a
 * request extended by a week expires exactly a week later. On the last allowed day that time
 * may fall after the latest moment, which is then the expiry. A day outside the limits is sent
 * as it is: the API's field error says why it is refused.
 * @param {string} day a date input's value, YYYY-MM-DD
 * @param {Pick<StoredRequest, 'createdAt' | 'expiresAt'>} request
 * @returns {string | null} ISO 8601; null when `day` is no date
 */
export function expiryOn(day, request) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const current = new Date(request.expiresAt);
  const chosen = new Date(current);
  chosen.setFullYear(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  const latest = latestExpiry(request);
  return (dayOf(chosen) === dayOf(latest) && chosen > latest ? latest : chosen).toISOString();
}

export class ExtendForm {
  #form = element('extend-form', HTMLFormElement);
  #input = element('extend-date', HTMLInputElement);
  /** @type {StoredRequest | null} */
  #request = null;

  /** @param {{ onSubmit: (expiresAt: string) => Promise<void> }} options */
  constructor({ onSubmit }) {
    this.#form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const request = this.#request;
      if (!request) return;
      const expiresAt = expiryOn(this.#input.value, request);
      if (!expiresAt) {
        this.showErrors([{ path: 'expiresAt', message: t('dateRequired') }]);
        this.#input.focus();
        return;
      }
      this.showErrors([]);
      await onSubmit(expiresAt);
    });
  }

  /**
   * The form for this request's current expiry, empty; hidden when it cannot move further.
   * @param {StoredRequest} request
   */
  show(request) {
    this.#request = request;
    const limits = extensionLimits(request);
    this.#form.hidden = limits === null;
    byId('extend-unavailable').hidden = limits !== null;
    this.#input.value = '';
    if (limits) {
      this.#input.min = limits.min;
      this.#input.max = limits.max;
    }
    this.showErrors([]);
    this.render();
  }

  render() {
    const limits = this.#request && extensionLimits(this.#request);
    byId('extend-date-hint').textContent = limits
      ? t('extendHint', {
          min: formatDate(limits.earliest),
          max: formatDate(limits.latest.toISOString()),
        })
      : '';
  }

  /**
   * Shows the errors about the new expiry on the date field.
   * @param {FieldError[]} errors
   * @returns {FieldError[]} the errors that are not about it
   */
  showErrors(errors) {
    const own = errors.filter((error) => fieldOfPath(error.path, ['expiresAt']) !== null);
    showFieldErrors(
      'extend-date',
      own.map((error) => error.message),
    );
    return errors.filter((error) => !own.includes(error));
  }

  focusInvalid() {
    this.#input.focus();
  }
}
