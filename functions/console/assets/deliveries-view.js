/**
 * @import { TextKey } from './i18n.js'
 * @import { Delivery, Endpoint, WebhookApi } from './webhooks-api.js'
 */
import { byId, h } from './dom.js';
import { eventTypeNames } from './endpoint-form.js';
import { t, timeElement } from './i18n.js';
import { clearMessages, endpointLabel, isSessionEnd, say } from './messages.js';

/**
 * One endpoint's deliveries, newest first, a page at a time: each event's status, attempts,
 * the endpoint's last answer and when it is tried next, with "deliver again". The view holds
 * its own endpoint, page position and rows.
 */

const pageSize = 20;

/** @param {string} type */
const eventName = (type) =>
  type === 'webhook.test'
    ? t('event.webhook.test')
    : Object.hasOwn(eventTypeNames, type)
      ? t(eventTypeNames[/** @type {keyof typeof eventTypeNames} */ (type)])
      : type;

/** @param {Delivery['status']} status */
const statusKey = (status) => /** @type {TextKey} */ (`delivery.${status}`);

export class DeliveriesView {
  #section = byId('deliveries');
  #heading = byId('deliveries-title');
  /** @type {WebhookApi} */
  #api;
  /** @type {(error: unknown) => Promise<void>} */
  #onFailed;
  /** @type {Endpoint | null} */
  #endpoint = null;
  /** @type {string | null} the cursor of the page shown; null for the first */
  #cursor = null;
  /** @type {string | null} */
  #nextCursor = null;
  #page = 1;
  /** @type {Delivery[]} */
  #items = [];
  /** Counts loads, so an answer that arrives after a newer load started is dropped. */
  #loads = 0;

  /**
   * @param {{ api: WebhookApi, onFailed: (error: unknown) => Promise<void> }} options
   *   `onFailed` explains a failed load or redelivery (the page's alert, a 404 reloads it)
   */
  constructor({ api, onFailed }) {
    this.#api = api;
    this.#onFailed = onFailed;
    byId('deliveries-refresh').addEventListener('click', async () => {
      clearMessages();
      await this.load();
    });
    byId('deliveries-close').addEventListener('click', () => this.close({ focusRow: true }));
    byId('deliveries-first').addEventListener('click', () => this.#changePage({ first: true }));
    byId('deliveries-next').addEventListener('click', () => this.#changePage({ next: true }));
  }

  /** The endpoint whose deliveries are shown, or null. */
  get endpointId() {
    return this.#endpoint?.id ?? null;
  }

  /**
   * Shows this endpoint's newest deliveries; focus goes to the view's heading, so a screen
   * reader announces whose deliveries opened.
   * @param {Endpoint} endpoint
   * @param {{ focus?: boolean }} [options]
   */
  async open(endpoint, { focus = true } = {}) {
    this.#endpoint = endpoint;
    this.#cursor = null;
    this.#page = 1;
    this.#items = [];
    this.#section.hidden = false;
    this.render();
    await this.load();
    if (focus && this.#endpoint === endpoint) this.#heading.focus();
  }

  /** @param {{ focusRow?: boolean }} [options] */
  close({ focusRow = false } = {}) {
    const id = this.endpointId;
    this.#endpoint = null;
    this.#loads += 1;
    this.#items = [];
    this.#section.hidden = true;
    if (focusRow && id) {
      const button = document.querySelector(
        `#endpoints-body tr[data-id="${CSS.escape(id)}"] [data-action="deliveries"]`,
      );
      if (button instanceof HTMLElement) button.focus();
      else byId('endpoints-title').focus();
    }
  }

  async load() {
    const endpoint = this.#endpoint;
    if (!endpoint) return;
    const load = ++this.#loads;
    const table = byId('deliveries-table');
    table.setAttribute('aria-busy', 'true');
    try {
      const page = await this.#api.deliveries(endpoint.id, {
        limit: pageSize,
        cursor: this.#cursor,
      });
      if (load !== this.#loads) return;
      this.#items = page.items;
      this.#nextCursor = page.nextCursor;
      this.render();
    } catch (error) {
      if (load === this.#loads && !isSessionEnd(error)) await this.#onFailed(error);
    } finally {
      table.removeAttribute('aria-busy');
    }
  }

  render() {
    const endpoint = this.#endpoint;
    if (!endpoint) return;
    this.#heading.textContent = t('deliveriesTitle', { endpoint: endpointLabel(endpoint) });
    byId('deliveries-body').replaceChildren(...this.#items.map((delivery) => this.#row(delivery)));
    byId('deliveries-empty').hidden = this.#items.length > 0;
    byId('deliveries-first').toggleAttribute('disabled', this.#cursor === null);
    byId('deliveries-next').toggleAttribute('disabled', this.#nextCursor === null);
    byId('deliveries-page-number').textContent = t('pageNumber', { n: this.#page });
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
    if (document.activeElement === document.body) this.#heading.focus();
  }

  /** @param {Delivery} delivery */
  #row(delivery) {
    const redeliver = h(
      'button',
      { type: 'button', class: 'small secondary', 'data-action': 'redeliver' },
      t('actionRedeliver'),
      // Names the row's event for those who reach the button without reading the row.
      h('span', { class: 'visually-hidden' }, ` ${eventName(delivery.type)} ${delivery.eventId}`),
    );
    redeliver.addEventListener('click', () => this.#redeliver(delivery, redeliver));
    return h(
      'tr',
      { 'data-event-id': delivery.eventId },
      h(
        'td',
        { class: 'event' },
        h('span', { class: 'event-name' }, eventName(delivery.type)),
        h('code', { class: 'event-id' }, delivery.eventId),
      ),
      h(
        'td',
        {},
        h(
          'span',
          { class: 'badge', 'data-delivery': delivery.status },
          t(statusKey(delivery.status)),
        ),
      ),
      h('td', {}, String(delivery.attempts)),
      h(
        'td',
        {},
        delivery.lastStatusCode !== null
          ? `HTTP ${delivery.lastStatusCode}`
          : delivery.lastAttemptAt
            ? t('noAnswer')
            : '—',
      ),
      h('td', { class: 'nowrap' }, timeElement(delivery.lastAttemptAt, true)),
      h('td', { class: 'nowrap' }, timeElement(delivery.nextAttemptAt, true)),
      h('td', {}, redeliver),
    );
  }

  /**
   * @param {Delivery} delivery
   * @param {HTMLButtonElement} button
   */
  async #redeliver(delivery, button) {
    const endpoint = this.#endpoint;
    if (!endpoint || button.getAttribute('aria-disabled') === 'true') return;
    button.setAttribute('aria-disabled', 'true');
    clearMessages();
    try {
      await this.#api.redeliver(endpoint.id, delivery.eventId);
      say(byId('webhooks-status'), t('redelivered', { endpoint: endpointLabel(endpoint) }));
      await this.load();
      const again = document.querySelector(
        `#deliveries-body tr[data-event-id="${CSS.escape(delivery.eventId)}"] [data-action="redeliver"]`,
      );
      if (again instanceof HTMLElement) again.focus();
    } catch (error) {
      if (!isSessionEnd(error)) await this.#onFailed(error);
    } finally {
      button.removeAttribute('aria-disabled');
    }
  }
}
