/**
 * @import { WebhookEventType } from '../../domain/events.ts'
 * @import { FieldError } from './api-client.js'
 * @import { TextKey } from './i18n.js'
 * @import { EndpointBody } from './webhooks-api.js'
 */
import { byId, control, element, h } from './dom.js';
import { fieldOfPath, showFieldErrors } from './field-errors.js';
import { t } from './i18n.js';

/**
 * Adding a webhook endpoint: its URL, the events it receives (every event, or those chosen)
 * and a description. The server checks the URL (https, a public address); its field errors
 * come back onto the fields they name.
 */

/**
 * The event types an endpoint may choose, each with its name: the type makes the keys exactly
 * the server's `webhookEventTypes`, so a new type does not compile until it is offered here.
 * @type {Record<WebhookEventType, TextKey>}
 */
export const eventTypeNames = {
  'smart_account_request.created': 'event.smart_account_request.created',
  'smart_account_request.updated': 'event.smart_account_request.updated',
  'smart_account_request.reminder_sent': 'event.smart_account_request.reminder_sent',
  'smart_account_request.activated': 'event.smart_account_request.activated',
  'smart_account_request.declined': 'event.smart_account_request.declined',
  'smart_account_request.cancelled': 'event.smart_account_request.cancelled',
  'smart_account_request.expired': 'event.smart_account_request.expired',
  'smart_account_request.failed': 'event.smart_account_request.failed',
};

const eventTypes = /** @type {WebhookEventType[]} */ (Object.keys(eventTypeNames));

/** The form's fields by the body's names, each with its control's id. */
const fieldIds = {
  url: 'endpoint-url',
  events: 'endpoint-events',
  description: 'endpoint-description',
};
const fields = /** @type {(keyof typeof fieldIds)[]} */ (Object.keys(fieldIds));

/** @param {WebhookEventType} type */
const checkboxId = (type) => `event-${type.replaceAll(/[._]/g, '-')}`;

export class EndpointForm {
  #form = element('endpoint-form', HTMLFormElement);
  #choices = byId('event-choices');
  #chosen = element('events-chosen', HTMLInputElement);

  /** @param {{ onSubmit: (body: EndpointBody) => Promise<void> }} options */
  constructor({ onSubmit }) {
    this.#choices.replaceChildren(
      ...eventTypes.map((type) =>
        h(
          'div',
          { class: 'choice' },
          h('input', { type: 'checkbox', id: checkboxId(type), name: 'events', value: type }),
          h('label', { for: checkboxId(type) }),
        ),
      ),
    );
    for (const radio of this.#form.querySelectorAll('input[name="eventsMode"]')) {
      radio.addEventListener('change', () => this.#showChoices());
    }
    this.#form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const body = this.#body();
      if (!body) return;
      this.showErrors([]);
      await onSubmit(body);
    });
    this.render();
  }

  render() {
    for (const type of eventTypes) {
      const label = this.#choices.querySelector(`label[for="${checkboxId(type)}"]`);
      if (label) label.textContent = t(eventTypeNames[type]);
    }
  }

  /** Empty again, for the next endpoint. */
  reset() {
    this.#form.reset();
    this.#showChoices();
    this.showErrors([]);
  }

  /**
   * Shows the errors about this form's fields on them (`events.2` on the events).
   * @param {FieldError[]} errors
   * @returns {FieldError[]} the errors that are about none of them
   */
  showErrors(errors) {
    for (const field of fields) {
      showFieldErrors(
        fieldIds[field],
        errors.filter((error) => fieldOfPath(error.path, [field]) === field).map((e) => e.message),
      );
    }
    return errors.filter((error) => fieldOfPath(error.path, fields) === null);
  }

  /** Focus on the first field with an error; false when none has one. */
  focusInvalid() {
    for (const field of fields) {
      const id = fieldIds[field];
      if (byId(id).getAttribute('aria-invalid') !== 'true') continue;
      const target = field === 'events' ? this.#firstEventControl() : byId(id);
      target.focus();
      return true;
    }
    return false;
  }

  /** @returns {EndpointBody | null} null when a field needs fixing first (said on it) */
  #body() {
    const url = control('endpoint-url').value.trim();
    const description = control('endpoint-description').value.trim();
    const events = this.#chosen.checked
      ? eventTypes.filter((type) => element(checkboxId(type), HTMLInputElement).checked)
      : undefined;
    /** @type {FieldError[]} */
    const errors = [];
    if (!url) errors.push({ path: 'url', message: t('urlRequired') });
    if (events?.length === 0) errors.push({ path: 'events', message: t('chooseEvents') });
    if (errors.length) {
      this.showErrors(errors);
      this.focusInvalid();
      return null;
    }
    return {
      url,
      ...(events ? { events } : {}),
      ...(description ? { description } : {}),
    };
  }

  #showChoices() {
    this.#choices.hidden = !this.#chosen.checked;
  }

  #firstEventControl() {
    return this.#chosen.checked
      ? element(checkboxId(eventTypes[0] ?? 'smart_account_request.created'), HTMLInputElement)
      : element('events-all', HTMLInputElement);
  }
}
