import { h } from './dom.js';
import { en } from './strings-en.js';
import { nl } from './strings-nl.js';

/**
 * The page's language: which texts it shows and how it writes dates. The language is this
 * module's state; the other modules ask for text with `t` and re-render on a change.
 */

/** @typedef {keyof typeof en} TextKey */

const texts = { en, nl };

/** @typedef {keyof typeof texts} Lang */

/**
 * Each language named in itself, for the e-mail language in the review.
 * @type {Record<Lang, string>}
 */
export const languageNames = { en: 'English', nl: 'Nederlands' };

const storageKey = 'sar.language';

/** @type {Lang} */
let current = 'en';

/**
 * @param {unknown} value
 * @returns {value is Lang}
 */
export const isLang = (value) => typeof value === 'string' && Object.hasOwn(texts, value);

/**
 * @param {unknown} value
 * @returns {value is TextKey}
 */
const isTextKey = (value) => typeof value === 'string' && Object.hasOwn(en, value);

export const language = () => current;

/**
 * @param {TextKey} key
 * @param {Record<string, string | number>} [params]
 */
export function t(key, params = {}) {
  return texts[current][key].replace(/\{(\w+)\}/g, (match, name) => String(params[name] ?? match));
}

/**
 * A field's label without its "(optional)" marker, for the error summary and the review.
 * @param {TextKey} key
 */
export const fieldLabel = (key) => t(key).replace(/\s*\((?:optional|optioneel)\)$/, '');

/**
 * Switches the page's own text (`data-i18n` elements, title, `lang`); what the other modules
 * render is theirs to redo.
 * @param {Lang} lang
 */
export function setLanguage(lang) {
  current = lang;
  document.documentElement.lang = lang;
  document.title = t('title');
  for (const translated of document.querySelectorAll('[data-i18n]')) {
    const key = translated.getAttribute('data-i18n');
    if (isTextKey(key)) translated.textContent = t(key);
  }
  const picker = document.getElementById('ui-language');
  if (picker instanceof HTMLSelectElement) picker.value = lang;
}

/**
 * Only an explicit choice is remembered; otherwise the browser's language keeps deciding.
 * @param {Lang} lang
 */
export const rememberLanguage = (lang) => localStorage.setItem(storageKey, lang);

/** @returns {Lang} */
export function initialLanguage() {
  const stored = localStorage.getItem(storageKey);
  if (isLang(stored)) return stored;
  return navigator.language.toLowerCase().startsWith('nl') ? 'nl' : 'en';
}

/** @param {string | null | undefined} iso */
export function formatDate(iso, withTime = false) {
  if (!iso) return '—';
  const options = withTime
    ? /** @type {const} */ ({ dateStyle: 'medium', timeStyle: 'short' })
    : /** @type {const} */ ({ dateStyle: 'long' });
  return new Intl.DateTimeFormat(current === 'nl' ? 'nl-NL' : 'en-GB', options).format(
    new Date(iso),
  );
}

/** @param {number} n */
export const formatNumber = (n) =>
  new Intl.NumberFormat(current === 'nl' ? 'nl-NL' : 'en-GB').format(n);

/** @param {string | null | undefined} iso */
export const timeElement = (iso, withTime = false) =>
  iso ? h('time', { datetime: iso }, formatDate(iso, withTime)) : '—';
