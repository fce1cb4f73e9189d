/** @import { Endpoint, EndpointBody, WebhookApi } from './webhooks-api.js' */
import { ApiError } from './api-client.js';
import { DeliveriesView } from './deliveries-view.js';
import { byId, element, h, isShown } from './dom.js';
import { EndpointForm, eventTypeNames } from './endpoint-form.js';
import { t, timeElement } from './i18n.js';
import { clearMessages, endpointLabel, isSessionEnd, problemNodes, say } from './messages.js';
import { SecretPanel } from './secret-panel.js';

/**
 * The partner's webhook endpoints (`#/webhooks`): the list with each endpoint's actions (its
 * deliveries, a test event, a new secret, delete after a confirmation), and the form to add
 * one. A secret is shown once, in the secret panel, right after the answer that carries it.
 * Each action says how it ended in the page's live regions.
 */

export class WebhooksPage {
  #section = byId('webhooks-page');
  #heading = byId('webhooks-title');
  #dialog = element('endpoint-delete-dialog', HTMLDialogElement);
  #confirmDelete = element('endpoint-delete-confirm', HTMLButtonElement);
  /** @type {WebhookApi} */
  #api;
  /** @type {Endpoint[]} */
  #items = [];
  #isOpen = false;
  /** @type {Endpoint | null} the endpoint the delete dialog asks about */
  #deleting = null;
  /** @type {HTMLElement | null} where focus returns when the dialog closes without a delete */
  #dialogOpener = null;
  #form = new EndpointForm({ onSubmit: (body) => this.#add(body) });
  #secret = new SecretPanel({ landing: () => byId('endpoints-title') });
  /** @type {DeliveriesView} */
  #deliveries;

  /** @param {{ api: WebhookApi }} options */
  constructor({ api }) {
    this.#api = api;
    this.#deliveries = new DeliveriesView({ api, onFailed: (error) => this.#explain(error) });
    byId('endpoints-refresh').addEventListener('click', async () => {
      clearMessages();
      await this.load();
    });
    byId('endpoint-delete-keep').addEventListener('click', () => this.#dialog.close());
    this.#confirmDelete.addEventListener('click', () => this.#delete());
    this.#dialog.addEventListener('close', () => {
      this.#deleting = null;
      if (isShown(this.#dialogOpener)) this.#dialogOpener.focus();
      this.#dialogOpener = null;
    });
  }

  get isOpen() {
    return this.#isOpen;
  }

  /** Shows the page with the endpoints as they are now; focus on its heading once loaded. */
  async open() {
    this.#isOpen = true;
    clearMessages();
    this.#section.hidden = false;
    document.title = `${t('webhooksTitle')} – ${t('title')}`;
    await this.load();
    if (this.#isOpen) this.#heading.focus();
  }

  close() {
    if (!this.#isOpen) return;
    this.#isOpen = false;
    this.#section.hidden = true;
    // A secret on screen is forgotten when the partner leaves the page.
    this.#secret.hide();
    this.#deliveries.close();
    document.title = t('title');
  }

  /** Forgets everything the partner saw (sign-out). */
  reset() {
    this.close();
    this.#items = [];
    this.#form.reset();
    this.render();
  }

  async load() {
    const table = byId('endpoints-table');
    table.setAttribute('aria-busy', 'true');
    try {
      this.#items = await this.#api.list();
      this.render();
    } catch (error) {
      if (!isSessionEnd(error)) say(alertRegion(), ...problemNodes(error));
    } finally {
      table.removeAttribute('aria-busy');
    }
  }

  render() {
    if (this.#isOpen) document.title = `${t('webhooksTitle')} – ${t('title')}`;
    byId('endpoints-body').replaceChildren(...this.#items.map((endpoint) => this.#row(endpoint)));
    byId('endpoints-empty').hidden = this.#items.length > 0;
    this.#form.render();
    this.#secret.render();
    this.#deliveries.render();
  }

  /** @param {EndpointBody} body */
  async #add(body) {
    const button = element('endpoint-add', HTMLButtonElement);
    if (button.getAttribute('aria-disabled') === 'true') return;
    button.setAttribute('aria-disabled', 'true');
    clearMessages();
    try {
      const added = await this.#api.add(body);
      this.#form.reset();
      await this.load();
      this.#secret.show('added', added);
    } catch (error) {
      if (isSessionEnd(error)) return;
      const errors = error instanceof ApiError ? (error.problem.errors ?? []) : [];
      if (error instanceof ApiError && error.status === 400 && errors.length) {
        const others = this.#form.showErrors(errors);
        say(alertRegion(), others.length ? others.map((e) => e.message).join(' ') : t('fixFields'));
        this.#form.focusInvalid();
        return;
      }
      // The limit (409) and anything else: the API's own words, with the error id.
      say(alertRegion(), ...problemNodes(error));
    } finally {
      button.removeAttribute('aria-disabled');
    }
  }

  /** @param {Endpoint} endpoint */
  async #rotate(endpoint) {
    await this.#act(endpoint, 'rotate', async () => {
      const rotated = await this.#api.rotateSecret(endpoint.id);
      this.#secret.show('rotated', rotated);
    });
  }

  /** @param {Endpoint} endpoint */
  async #sendTest(endpoint) {
    await this.#act(endpoint, 'test', async () => {
      await this.#api.sendTest(endpoint.id);
      say(statusRegion(), t('testSent', { endpoint: endpointLabel(endpoint) }));
      // The delivery shows below; focus stays on the button, which can send another.
      await this.#deliveries.open(endpoint, { focus: false });
    });
  }

  /** @param {Endpoint} endpoint */
  #askDelete(endpoint) {
    this.#deleting = endpoint;
    this.#dialogOpener =
      document.activeElement instanceof HTMLElement ? document.activeElement : null;
    byId('endpoint-delete-text').textContent = t('deleteEndpointText', {
      endpoint: endpointLabel(endpoint),
    });
    this.#dialog.showModal();
    byId('endpoint-delete-title').focus();
  }

  async #delete() {
    const endpoint = this.#deleting;
    const button = this.#confirmDelete;
    if (!endpoint || button.getAttribute('aria-disabled') === 'true') return;
    button.setAttribute('aria-disabled', 'true');
    clearMessages();
    try {
      await this.#api.remove(endpoint.id);
      // Its row is gone: focus goes to the list's heading, not back to the row's button.
      this.#dialogOpener = byId('endpoints-title');
      this.#dialog.close();
      if (this.#deliveries.endpointId === endpoint.id) this.#deliveries.close();
      await this.load();
      say(statusRegion(), t('endpointDeleted', { endpoint: endpointLabel(endpoint) }));
    } catch (error) {
      this.#dialog.close();
      if (!isSessionEnd(error)) await this.#explain(error);
    } finally {
      button.removeAttribute('aria-disabled');
    }
  }

  /**
   * One action on an endpoint's row: its button is inert while it runs (aria-disabled keeps
   * focus on it), the regions start empty, and a failure is explained.
   * @param {Endpoint} endpoint
   * @param {string} action the button's data-action
   * @param {() => Promise<void>} run
   */
  async #act(endpoint, action, run) {
    const button = rowButton(endpoint.id, action);
    if (button?.getAttribute('aria-disabled') === 'true') return;
    button?.setAttribute('aria-disabled', 'true');
    clearMessages();
    try {
      await run();
    } catch (error) {
      if (!isSessionEnd(error)) await this.#explain(error);
    } finally {
      button?.removeAttribute('aria-disabled');
    }
  }

  /**
   * An action was refused. An endpoint gone meanwhile (404: deleted in another tab) is said
   * politely and the list shows the endpoints as they are; anything else with its error id.
   * @param {unknown} error
   */
  async #explain(error) {
    if (isSessionEnd(error)) return;
    if (error instanceof ApiError && error.status === 404) {
      await this.load();
      const shown = this.#deliveries.endpointId;
      if (shown && !this.#items.some((endpoint) => endpoint.id === shown)) {
        this.#deliveries.close();
      }
      say(alertRegion(), t('endpointGone'));
      if (!isShown(document.activeElement)) byId('endpoints-title').focus();
      return;
    }
    say(alertRegion(), ...problemNodes(error));
  }

  /** @param {Endpoint} endpoint */
  #row(endpoint) {
    const label = endpointLabel(endpoint);
    /**
     * @param {string} action
     * @param {string} text
     * @param {() => void} onClick
     * @param {string} [kind]
     */
    const button = (action, text, onClick, kind = 'small secondary') => {
      const created = h(
        'button',
        { type: 'button', class: kind, 'data-action': action },
        text,
        // The visible label is short; this names the row's endpoint for screen readers.
        h('span', { class: 'visually-hidden' }, ` ${label}`),
      );
      created.addEventListener('click', onClick);
      return created;
    };
    return h(
      'tr',
      { 'data-id': endpoint.id },
      h(
        'td',
        { class: 'endpoint' },
        h('code', { class: 'endpoint-url' }, endpoint.url),
        ...(endpoint.description
          ? [h('p', { class: 'endpoint-description' }, endpoint.description)]
          : []),
      ),
      h(
        'td',
        {},
        endpoint.events === null
          ? t('allEvents')
          : h(
              'ul',
              { class: 'event-list' },
              ...endpoint.events.map((type) => h('li', {}, t(eventTypeNames[type]))),
            ),
      ),
      h('td', { class: 'nowrap' }, timeElement(endpoint.createdAt)),
      h(
        'td',
        {},
        h(
          'div',
          { class: 'row-actions' },
          button('deliveries', t('actionDeliveries'), () => void this.#deliveries.open(endpoint)),
          button('test', t('actionTest'), () => void this.#sendTest(endpoint)),
          button('rotate', t('actionRotate'), () => void this.#rotate(endpoint)),
          button('delete', t('actionDelete'), () => this.#askDelete(endpoint), 'small danger'),
        ),
      ),
    );
  }
}

const statusRegion = () => byId('webhooks-status');
const alertRegion = () => byId('webhooks-alert');

/**
 * @param {string} id
 * @param {string} action
 */
const rowButton = (id, action) => {
  const found = document.querySelector(
    `#endpoints-body tr[data-id="${CSS.escape(id)}"] [data-action="${action}"]`,
  );
  return found instanceof HTMLButtonElement ? found : null;
};
