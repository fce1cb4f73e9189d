/** @import { Request } from './api-client.js' */
/** @import { Endpoint } from './webhooks-api.js' */
import { ApiError, ServiceUnreachable } from './api-client.js';
import { byId, h } from './dom.js';
import { t } from './i18n.js';

/**
 * Messages in live regions. The regions stay in the DOM and are emptied rather than hidden,
 * so screen readers announce the next message reliably.
 */

/**
 * @param {HTMLElement} region
 * @param {...(Node | string)} content
 */
export function say(region, ...content) {
  region.replaceChildren(...content);
}

/** Every region that reports on the last action; a new action starts with them empty. */
const actionRegions = [
  'status',
  'requests-alert',
  'sign-in-message',
  'sign-in-status',
  'review-error',
  'request-status',
  'request-alert',
  'webhooks-status',
  'webhooks-alert',
  'api-keys-status',
  'api-keys-alert',
];

export function clearMessages() {
  for (const id of actionRegions) say(byId(id));
}

/**
 * How messages name a request.
 * @param {Pick<Request, 'accountName' | 'accountDomain'>} request
 */
export const accountLabel = (request) => `${request.accountName} (${request.accountDomain})`;

/**
 * How messages name a webhook endpoint: its description when it has one, and its URL.
 * @param {Pick<Endpoint, 'url' | 'description'>} endpoint
 */
export const endpointLabel = (endpoint) =>
  endpoint.description ? `${endpoint.description} (${endpoint.url})` : endpoint.url;

/**
 * A failure as text a partner can quote to support: what went wrong and the error id.
 * @param {unknown} error
 * @param {string} [fallback] replaces the API's own detail
 * @returns {(Node | string)[]}
 */
export function problemNodes(error, fallback) {
  const problem = error instanceof ApiError ? error.problem : {};
  const text =
    fallback ??
    (error instanceof ServiceUnreachable
      ? t('networkError')
      : (problem.detail ?? problem.title ?? t('unexpected')));
  /** @type {(Node | string)[]} */
  const nodes = [h('span', {}, text)];
  if (problem.errorId) {
    nodes.push(
      ' ',
      h(
        'span',
        { class: 'error-id' },
        `${t('errorId')} `,
        h('code', {}, problem.errorId),
        `. ${t('quoteSupport')}`,
      ),
    );
  }
  return nodes;
}

/**
 * A 401 has already ended the session (ApiClient's `onUnauthorized`): the action that got it
 * has nothing left to report.
 * @param {unknown} error
 */
export const isSessionEnd = (error) => error instanceof ApiError && error.status === 401;
