import { ApiClient } from './api-client.js';
import { ApiKeysApi } from './api-keys-api.js';
import { ApiKeysPage } from './api-keys-page.js';
import { BatchApi } from './batch-api.js';
import { BatchPage } from './batch-page.js';
import { CancelDialog } from './cancel-dialog.js';
import { byId, control } from './dom.js';
import { RequestForm } from './form.js';
import { initialLanguage, isLang, rememberLanguage, setLanguage, t } from './i18n.js';
import { RequestList } from './list.js';
import { clearMessages } from './messages.js';
import { RequestPage } from './request-page.js';
import { ReviewDialog } from './review-dialog.js';
import { routeOf } from './routes.js';
import { Session } from './session.js';
import { WebhookApi } from './webhooks-api.js';
import { WebhooksPage } from './webhooks-page.js';

/**
 * Partner console for the Smart Account Requests API: native ES modules with no build step,
 * served from the console's own origin under a CSP that allows only its own files. This entry
 * only connects the parts; each part keeps its own state.
 */

setLanguage(initialLanguage());

/** @type {ApiClient} */
const api = new ApiClient({
  // Relative to this module, so the console also works under a stage path such as /prod.
  base: new URL('../v1/smart-account-requests', import.meta.url).pathname,
  key: () => session.key,
  onUnauthorized: () => session.end(t('keyRejected')),
});

const webhooks = new WebhooksPage({
  api: new WebhookApi({
    base: new URL('../v1/webhook-endpoints', import.meta.url).pathname,
    key: () => session.key,
    onUnauthorized: () => session.end(t('keyRejected')),
  }),
});

const batch = new BatchPage({
  api: new BatchApi({
    base: new URL('../v1/smart-account-requests/batch', import.meta.url).pathname,
    key: () => session.key,
    onUnauthorized: () => session.end(t('keyRejected')),
  }),
  // The list is hidden meanwhile; it shows the new requests when the partner goes back to it.
  onCreated: () => list.showFirstPage(),
});

const apiKeys = new ApiKeysPage({
  api: new ApiKeysApi({
    base: new URL('../v1/api-keys', import.meta.url).pathname,
    key: () => session.key,
    // A 401 right after a revoke: the key revoked was the one this console is signed in with.
    onUnauthorized: () => session.end(t(apiKeys.justRevoked ? 'ownKeyRevoked' : 'keyRejected')),
  }),
  sessionKey: () => session.key,
});

/** @type {Session} */
const session = new Session({
  verify: async () => {
    // Loading the list checks the key; then the view the URL names is shown. The list is the
    // one the URL names, so a reload of a filtered list loads it only once.
    const route = routeOf(location.hash);
    list.showFilters(route?.view === 'list' ? route.query : '');
    const verified = await list.load();
    if (verified) await showRoute();
    return verified;
  },
  onEnd: () => {
    form.reset();
    list.reset();
    page.close();
    webhooks.reset();
    batch.reset();
    apiKeys.reset();
    showListView();
    markCurrentNav(null);
    // The next partner to sign in in this tab starts at the list, not at this one's request.
    history.replaceState(null, '', `${location.pathname}${location.search}`);
  },
  landing: () =>
    page.openId
      ? byId('request-title')
      : webhooks.isOpen
        ? byId('webhooks-title')
        : batch.isOpen
          ? byId('batch-title')
          : apiKeys.isOpen
            ? byId('api-keys-title')
            : byId('accountName'),
});

const form = new RequestForm({
  api,
  onReviewed: (body, normalized) => review.open(body, normalized),
});

const review = new ReviewDialog({
  api,
  returnFocus: byId('review-button'),
  onCreated: async (created) => {
    form.showCreated(created);
    await list.showFirstPage();
  },
  onRejected: (error, body) => form.showFailure(error, body),
});

const cancel = new CancelDialog({ api });

/** @type {RequestList} */
const list = new RequestList({
  api,
  onCancel: (request) =>
    cancel.open(request, {
      landing: byId('requests-title'),
      onCancelled: (cancelled) => list.showCancelled(cancelled),
      onFailed: (error) => list.showCancelFailure(error),
    }),
});

/** @type {RequestPage} */
const page = new RequestPage({
  api,
  cancelDialog: cancel,
  onRequestAgain: (request) => {
    form.prefill(request);
    // A new history entry, as following a link: back returns to the request's page. pushState
    // fires no hashchange, so the view changes here.
    history.pushState(null, '', list.hash);
    page.close();
    showListView();
    void list.load();
    byId('accountName').focus();
  },
});

/** The form and the list; hidden while a request's page is open. */
function showListView(shown = true) {
  byId('new-request').hidden = !shown;
  byId('requests').hidden = !shown;
}

/** The navigation link of each view. */
const navLinks = {
  list: 'nav-requests',
  request: 'nav-requests',
  webhooks: 'nav-webhooks',
  batch: 'nav-batch',
  apiKeys: 'nav-api-keys',
};

/**
 * The navigation names the part of the console shown (`aria-current`), for sighted and
 * screen reader users alike; a request's page belongs to the requests.
 * @param {'list' | 'request' | 'webhooks' | 'batch' | 'apiKeys' | null} view
 */
function markCurrentNav(view) {
  const current = view ? navLinks[view] : null;
  for (const id of new Set(Object.values(navLinks))) {
    if (id === current) byId(id).setAttribute('aria-current', 'page');
    else byId(id).removeAttribute('aria-current');
  }
}

/**
 * Shows the view the URL's hash names (routes.js). Closing a request's page brings the list
 * back up to date (the page's actions may have changed the request) and focus back to the
 * request's row.
 */
async function showRoute() {
  if (!session.key) return;
  const route = routeOf(location.hash);
  if (!route) return;
  markCurrentNav(route.view);
  if (route.view === 'apiKeys') {
    if (apiKeys.isOpen) return;
    batch.close();
    webhooks.close();
    page.close();
    showListView(false);
    await apiKeys.open();
    return;
  }
  apiKeys.close();
  if (route.view === 'batch') {
    if (batch.isOpen) return;
    webhooks.close();
    page.close();
    showListView(false);
    batch.open();
    return;
  }
  batch.close();
  if (route.view === 'webhooks') {
    if (webhooks.isOpen) return;
    page.close();
    showListView(false);
    await webhooks.open();
    return;
  }
  webhooks.close();
  if (route.view === 'request') {
    if (page.openId === route.id) return;
    showListView(false);
    await page.open(route.id);
    return;
  }
  const closed = page.close();
  showListView();
  const filtersChanged = list.showFilters(route.query);
  if (closed === null && !filtersChanged) return;
  await list.load();
  // Unless the partner has moved on (forward again) while the list loaded.
  if (closed !== null && page.openId === null) list.focusRow(closed);
}

window.addEventListener('hashchange', () => void showRoute());

control('ui-language').addEventListener('change', (event) => {
  const lang = event.target instanceof HTMLSelectElement ? event.target.value : null;
  if (!isLang(lang)) return;
  rememberLanguage(lang);
  setLanguage(lang);
  clearMessages();
  form.render();
  list.render();
  review.render();
  if (page.openId) page.render();
  webhooks.render();
  batch.render();
  apiKeys.render();
});

session.resume();
