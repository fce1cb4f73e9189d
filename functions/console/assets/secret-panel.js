/** @import { EndpointWithSecret } from './webhooks-api.js' */
import { byId, element } from './dom.js';
import { formatDate, t } from './i18n.js';
import { endpointLabel, say } from './messages.js';

/**
 * A signing secret, shown the one time the API answers with it (an endpoint added, a secret
 * rotated): with a warning, a copy button and a field to select it from. Dismissing the panel
 * forgets the secret; nothing else in the console ever holds it.
 */

const ROTATION_OVERLAP_MS = 24 * 3_600_000;

/** @typedef {{ kind: 'added' | 'rotated', endpoint: EndpointWithSecret, at: Date }} ShownSecret */

export class SecretPanel {
  #panel = byId('secret-panel');
  #heading = byId('secret-title');
  #value = element('secret-value', HTMLInputElement);
  /** @type {ShownSecret | null} */
  #shown = null;
  /** @type {() => HTMLElement} */
  #landing;

  /** @param {{ landing: () => HTMLElement }} options where focus goes once dismissed */
  constructor({ landing }) {
    this.#landing = landing;
    byId('secret-copy').addEventListener('click', () => this.#copy());
    byId('secret-done').addEventListener('click', () => {
      this.hide();
      this.#landing().focus();
    });
  }

  /**
   * @param {'added' | 'rotated'} kind
   * @param {EndpointWithSecret} endpoint
   */
  show(kind, endpoint) {
    this.#shown = { kind, endpoint, at: new Date() };
    this.#value.value = endpoint.secret;
    say(byId('secret-copied'));
    this.#panel.hidden = false;
    this.render();
    this.#heading.focus();
  }

  /** Forgets the secret (dismissed, signed out, another page). */
  hide() {
    this.#shown = null;
    this.#value.value = '';
    say(byId('secret-copied'));
    this.#panel.hidden = true;
  }

  render() {
    const shown = this.#shown;
    if (!shown) return;
    const endpoint = endpointLabel(shown.endpoint);
    this.#heading.textContent =
      shown.kind === 'added' ? t('secretTitleAdded') : t('secretTitleRotated');
    byId('secret-text').textContent =
      shown.kind === 'added'
        ? t('secretTextAdded', { endpoint })
        : t('secretTextRotated', {
            endpoint,
            date: formatDate(
              new Date(shown.at.getTime() + ROTATION_OVERLAP_MS).toISOString(),
              true,
            ),
          });
  }

  async #copy() {
    const region = byId('secret-copied');
    try {
      await navigator.clipboard.writeText(this.#value.value);
      say(region, t('secretCopied'));
    } catch {
      // No clipboard (an insecure context, a denied permission): the partner copies it.
      this.#value.focus();
      this.#value.select();
      say(region, t('secretCopyFailed'));
    }
  }
}
