import { byId, control } from './dom.js';
import { t } from './i18n.js';
import { clearMessages, say } from './messages.js';

/**
 * Signing in and out. The partner key lives in sessionStorage only: it is gone when the tab
 * closes and never reaches localStorage.
 */

const keyStorage = 'sar.partnerKey';

/**
 * @typedef {{
 *   verify: () => Promise<boolean>,
 *   onEnd: () => void,
 *   landing: () => HTMLElement,
 * }} SessionOptions
 */

export class Session {
  /** @type {SessionOptions['verify']} */
  #verify;
  /** @type {SessionOptions['onEnd']} */
  #onEnd;
  /** @type {SessionOptions['landing']} */
  #landing;

  /**
   * @param {SessionOptions} options `verify` loads something with the stored key and says
   *   whether it was accepted (a rejected key reports itself next to the key field);
   *   `onEnd` forgets what the partner saw; `landing` is where focus goes once signed in
   *   (the form, or the request page the URL named)
   */
  constructor({ verify, onEnd, landing }) {
    this.#verify = verify;
    this.#onEnd = onEnd;
    this.#landing = landing;
    byId('sign-in-form').addEventListener('submit', (event) => this.#signIn(event));
    byId('sign-out').addEventListener('click', () => this.end(t('signedOut'), 'sign-in-status'));
  }

  get key() {
    return sessionStorage.getItem(keyStorage);
  }

  /** On page load: back to the workspace if this tab has a key, else the sign-in form. */
  resume() {
    if (this.key) {
      showWorkspace();
      void this.#verify();
    } else {
      showSignIn();
    }
  }

  /**
   * @param {string} message
   * @param {'sign-in-message' | 'sign-in-status'} [region] the alert for a rejected key, the
   *   status region for a sign-out the partner asked for
   */
  end(message, region = 'sign-in-message') {
    sessionStorage.removeItem(keyStorage);
    for (const dialog of document.querySelectorAll('dialog')) dialog.close();
    this.#onEnd();
    clearMessages();
    showSignIn();
    say(byId(region), message);
    byId('api-key').focus();
  }

  /** @param {SubmitEvent} event */
  async #signIn(event) {
    event.preventDefault();
    const input = control('api-key');
    const key = input.value.trim();
    if (!key) {
      say(byId('sign-in-message'), t('keyRequired'));
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    input.removeAttribute('aria-invalid');
    sessionStorage.setItem(keyStorage, key);
    clearMessages();
    // Loading the list doubles as the key check: a wrong key comes back here as a 401.
    if (await this.#verify()) {
      input.value = '';
      showWorkspace();
      this.#landing().focus();
    } else {
      sessionStorage.removeItem(keyStorage);
    }
  }
}

function showSignIn() {
  byId('workspace').hidden = true;
  byId('sign-out').hidden = true;
  byId('sign-in').hidden = false;
}

function showWorkspace() {
  byId('sign-in').hidden = true;
  byId('sign-out').hidden = false;
  byId('workspace').hidden = false;
}
