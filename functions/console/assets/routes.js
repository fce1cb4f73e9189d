/**
 * The console's views live in the URL's hash, so back, forward and reload work without a
 * server route: `#/requests/<id>` is a request's page, `#/webhooks` the webhook endpoints,
 * `#/batch` the CSV upload, `#/api-keys` the API keys, `#/` (or no hash) the form and list. Any other hash is an in-page
 * anchor (the skip link's `#main`) and changes no view.
 * The list's filters follow `#/` as a query (`#/?status=ACTIVE&q=acme.example`, list-filters.js).
 */

/** @typedef {{ view: 'list', query: string } | { view: 'request', id: string } | { view: 'webhooks' } | { view: 'batch' } | { view: 'apiKeys' }} Route */

export const listHash = '#/';
export const webhooksHash = '#/webhooks';
export const batchHash = '#/batch';
export const apiKeysHash = '#/api-keys';

/** @param {string} id */
export const requestHash = (id) => `#/requests/${encodeURIComponent(id)}`;

/**
 * @param {string} hash `location.hash`
 * @returns {Route | null} null for a hash that is no route
 */
export function routeOf(hash) {
  if (hash === '' || hash === '#' || hash === listHash) return { view: 'list', query: '' };
  if (hash.startsWith(`${listHash}?`))
    return { view: 'list', query: hash.slice(listHash.length + 1) };
  if (hash === webhooksHash) return { view: 'webhooks' };
  if (hash === batchHash) return { view: 'batch' };
  if (hash === apiKeysHash) return { view: 'apiKeys' };
  const match = /^#\/requests\/([^/]+)$/.exec(hash);
  if (!match?.[1]) return null;
  try {
    return { view: 'request', id: decodeURIComponent(match[1]) };
  } catch {
    // A malformed escape (`%E0`) names no request.
    return null;
  }
}
