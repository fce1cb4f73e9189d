import { byId, h } from './dom.js';

/**
 * Field errors the way every form of the console shows them: under the field, announced with
 * it (its `aria-describedby` names its hint and its error), the field marked invalid.
 */

/**
 * The form field a problem's error path belongs to: `userEmails.2` is the userEmails field. A
 * path no field of the form matches (null) is reported with the form instead.
 * @template {string} F
 * @param {string | undefined} path
 * @param {readonly F[]} fields
 * @returns {F | null}
 */
export function fieldOfPath(path, fields) {
  const name = String(path ?? '').split(/[.[]/)[0];
  return fields.find((field) => field === name) ?? null;
}

/**
 * @param {string} id the control's id; its hint (if it has one) is `<id>-hint`, its error
 *   element `<id>-error`
 * @param {string[]} messages none clears the field's errors
 */
export function showFieldErrors(id, messages) {
  const input = byId(id);
  const errorElement = byId(`${id}-error`);
  errorElement.replaceChildren(...messages.map((message) => h('span', {}, message)));
  errorElement.hidden = messages.length === 0;
  const describedBy = [`${id}-hint`, `${id}-error`].filter((described) => {
    const found = document.getElementById(described);
    return found !== null && !found.hidden;
  });
  if (messages.length) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
  if (describedBy.length) input.setAttribute('aria-describedby', describedBy.join(' '));
  else input.removeAttribute('aria-describedby');
}
