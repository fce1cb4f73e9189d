/**
 * DOM helpers. User-supplied text only ever becomes a text node (`append` of a string),
 * never HTML.
 */

/**
 * The element with this id, checked to be of the expected kind: a page that lacks it fails
 * loudly here instead of as a null dereference later.
 * @template {HTMLElement} T
 * @param {string} id
 * @param {{ new (): T, prototype: T }} kind
 * @returns {T}
 */
export function element(id, kind) {
  const found = document.getElementById(id);
  if (!(found instanceof kind)) throw new Error(`#${id} is missing or not a ${kind.name}`);
  return found;
}

/** @param {string} id */
export const byId = (id) => element(id, HTMLElement);

/**
 * A form control by id.
 * @param {string} id
 * @returns {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement}
 */
export function control(id) {
  const found = document.getElementById(id);
  if (
    found instanceof HTMLInputElement ||
    found instanceof HTMLSelectElement ||
    found instanceof HTMLTextAreaElement
  ) {
    return found;
  }
  throw new Error(`#${id} is missing or not a form control`);
}

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string>} [attributes]
 * @param {...(Node | string)} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attributes = {}, ...children) {
  const created = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) created.setAttribute(name, value);
  created.append(...children);
  return created;
}

/**
 * Whether focus can go back to this element: still in the page and not inside a hidden part
 * (the workspace is hidden once the session ends).
 * @param {Element | null} target
 * @returns {target is HTMLElement}
 */
export const isShown = (target) =>
  target instanceof HTMLElement && target.isConnected && target.closest('[hidden]') === null;
