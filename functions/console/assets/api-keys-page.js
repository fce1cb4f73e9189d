/** @import { ApiKey, ApiKeysApi, CreatedKey } from './api-keys-api.js' */
import { ApiError } from './api-client.js';
import { byId, control, element, h, isShown } from './dom.js';
import { fieldOfPath, showFieldErrors } from './field-errors.js';
import { t, timeElement } from './i18n.js';
import { clearMessages, isSessionEnd, problemNodes, say } from './messages.js';

/**
 * The partner's API keys (`#/api-keys`): the list (label, prefix, created, last used) with a
 * revoke after a confirmation, and the form to create one. A new key is shown once, in the key
 * panel, right after the answer that carries it; nothing else in the console ever holds it.
 * Revoking the key this console is signed in with signs the console out: the list loaded after
 * the revoke answers 401, which ends the session (app.js).
 */

/** How many characters of a key the API calls its prefix (contract: "API keys"). */
const PREFIX_LENGTH = 8;

export class ApiKeysPage {
  #section = byId('api-keys-page');
  #heading = byId('api-keys-title');
  #form = element('key-form', HTMLFormElement);
  #label = control('key-label');
  #panel = byId('new-key-panel');
  #panelHeading = byId('new-key-title');
  #value = element('new-key-value', HTMLInputElement);
  #dialog = element('key-revoke-dialog', HTMLDialogElement);
  #confirmRevoke = element('key-revoke-confirm', HTMLButtonElement);
  /** @type {ApiKeysApi} */
  #api;
  /** @type {() => string | null} */
  #sessionKey;
  /** @type {ApiKey[]} */
  #items = [];
  #isOpen = false;
  /** @type {CreatedKey | null} the key on screen, until the partner dismisses it */
  #shown = null;
  /** @type {ApiKey | null} the key the revoke dialog asks about */
  #revoking = null;
  /** @type {HTMLElement | null} where focus returns when the dialog closes without a revoke */
  #dialogOpener = null;
  #justRevoked = false;

  /**
   * @param {{ api: ApiKeysApi, sessionKey: () => string | null }} options `sessionKey` is the
   *   key this console is signed in with, to mark its row and warn before revoking it
   */
  constructor({ api, sessionKey }) {
    this.#api = api;
    this.#sessionKey = sessionKey;
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#create();
    });
    byId('keys-refresh').addEventListener('click', async () => {
      clearMessages();
      await this.load();
    });
    byId('new-key-copy').addEventListener('click', () => void this.#copy());
    byId('new-key-done').addEventListener('click', () => {
      this.#hideKey();
      byId('keys-title').focus();
    });
    byId('key-revoke-keep').addEventListener('click', () => this.#dialog.close());
    this.#confirmRevoke.addEventListener('click', () => void this.#revoke());
    this.#dialog.addEventListener('close', () => {
      this.#revoking = null;
      if (isShown(this.#dialogOpener)) this.#dialogOpener.focus();
      this.#dialogOpener = null;
    });
  }

  get isOpen() {
    return this.#isOpen;
  }

  /** True while the list after a revoke loads: a 401 then means the console's own key went. */
  get justRevoked() {
    return this.#justRevoked;
  }

  /** Shows the page with the keys as they are now; focus on its heading once loaded. */
  async open() {
    this.#isOpen = true;
    clearMessages();
    this.#section.hidden = false;
    document.title = `${t('apiKeysTitle')} – ${t('title')}`;
    await this.load();
    if (this.#isOpen) this.#heading.focus();
  }

  close() {
    if (!this.#isOpen) return;
    this.#isOpen = false;
    this.#section.hidden = true;
    // A key on screen is forgotten when the partner leaves the page.
    this.#hideKey();
    document.title = t('title');
  }

  /** Forgets everything the partner saw (sign-out). */
  reset() {
    this.close();
    this.#items = [];
    this.#form.reset();
    showFieldErrors('key-label', []);
    this.render();
  }

  async load() {
    const table = byId('keys-table');
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
    if (this.#isOpen) document.title = `${t('apiKeysTitle')} – ${t('title')}`;
    byId('keys-body').replaceChildren(...this.#items.map((key) => this.#row(key)));
    byId('keys-empty').hidden = this.#items.length > 0;
    const shown = this.#shown;
    if (shown) byId('new-key-text').textContent = t('newKeyText', { label: shown.label });
  }

  async #create() {
    const button = element('key-create', HTMLButtonElement);
    if (button.getAttribute('aria-disabled') === 'true') return;
    button.setAttribute('aria-disabled', 'true');
    clearMessages();
    showFieldErrors('key-label', []);
    try {
      const created = await this.#api.create({ label: this.#label.value });
      this.#form.reset();
      await this.load();
      this.#showKey(created);
    } catch (error) {
      if (isSessionEnd(error)) return;
      const errors = error instanceof ApiError ? (error.problem.errors ?? []) : [];
      const onLabel = errors.filter((e) => fieldOfPath(e.path, ['label']) === 'label');
      if (error instanceof ApiError && error.status === 400 && onLabel.length) {
        showFieldErrors(
          'key-label',
          onLabel.map((e) => e.message),
        );
        say(alertRegion(), t('fixFields'));
        this.#label.focus();
        return;
      }
      // The limit (409) and anything else: the API's own words, with the error id.
      say(alertRegion(), ...problemNodes(error));
    } finally {
      button.removeAttribute('aria-disabled');
    }
  }

  /** @param {ApiKey} key */
  #askRevoke(key) {
    this.#revoking = key;
    this.#dialogOpener =
      document.activeElement instanceof HTMLElement ? document.activeElement : null;
    byId('key-revoke-text').textContent = this.#isSessionKey(key)
      ? t('revokeOwnKeyText', { label: key.label })
      : t('revokeKeyText', { label: key.label });
    this.#dialog.showModal();
    byId('key-revoke-title').focus();
  }

  async #revoke() {
    const key = this.#revoking;
    const button = this.#confirmRevoke;
    if (!key || button.getAttribute('aria-disabled') === 'true') return;
    button.setAttribute('aria-disabled', 'true');
    clearMessages();
    try {
      await this.#api.revoke(key.id);
      // Its row is gone: focus goes to the list's heading, not back to the row's button.
      this.#dialogOpener = byId('keys-title');
      this.#dialog.close();
      this.#justRevoked = true;
      try {
        await this.load();
      } finally {
        this.#justRevoked = false;
      }
      if (this.#isOpen) say(statusRegion(), t('keyRevoked', { label: key.label }));
    } catch (error) {
      this.#dialog.close();
      if (isSessionEnd(error)) return;
      if (error instanceof ApiError && error.status === 404) {
        // Revoked meanwhile (another tab): the list shows the keys as they are.
        await this.load();
        say(alertRegion(), t('keyGone'));
        return;
      }
      // The partner's last key (409) and anything else: the API's own words, with the error id.
      say(alertRegion(), ...problemNodes(error));
    } finally {
      button.removeAttribute('aria-disabled');
    }
  }

  /** @param {CreatedKey} created */
  #showKey(created) {
    this.#shown = created;
    this.#value.value = created.key;
    say(byId('new-key-copied'));
    this.#panel.hidden = false;
    this.render();
    this.#panelHeading.focus();
  }

  #hideKey() {
    this.#shown = null;
    this.#value.value = '';
    say(byId('new-key-copied'));
    this.#panel.hidden = true;
  }

  async #copy() {
    const region = byId('new-key-copied');
    try {
      await navigator.clipboard.writeText(this.#value.value);
      say(region, t('newKeyCopied'));
    } catch {
      // No clipboard (an insecure context, a denied permission): the partner copies it.
      this.#value.focus();
      this.#value.select();
      say(region, t('newKeyCopyFailed'));
    }
  }

  /**
   * Whether this is (most likely) the key the console is signed in with: same prefix. Only for
   * the warning and the marker; the API alone decides what a revoke does.
   * @param {ApiKey} key
   */
  #isSessionKey(key) {
    const own = this.#sessionKey();
    return own !== null && own.slice(0, PREFIX_LENGTH) === key.prefix;
  }

  /** @param {ApiKey} key */
  #row(key) {
    const revoke = h(
      'button',
      { type: 'button', class: 'small danger', 'data-action': 'revoke' },
      t('actionRevoke'),
      // The visible label is short; this names the row's key for screen readers.
      h('span', { class: 'visually-hidden' }, ` ${key.label}`),
    );
    revoke.addEventListener('click', () => this.#askRevoke(key));
    return h(
      'tr',
      { 'data-id': key.id },
      h(
        'td',
        { class: 'key-label' },
        key.label,
        ...(this.#isSessionKey(key)
          ? [h('span', { class: 'key-session' }, ` ${t('keyInUse')}`)]
          : []),
      ),
      h('td', {}, h('code', { class: 'key-prefix' }, `${key.prefix}…`)),
      h('td', { class: 'nowrap' }, timeElement(key.createdAt, true)),
      h(
        'td',
        { class: 'nowrap' },
        key.lastUsedAt ? timeElement(key.lastUsedAt, true) : t('neverUsed'),
      ),
      h('td', {}, h('div', { class: 'row-actions' }, revoke)),
    );
  }
}

const statusRegion = () => byId('api-keys-status');
const alertRegion = () => byId('api-keys-alert');
