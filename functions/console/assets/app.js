import { ApiClient } from './api-client.js';
import { CancelDialog } from './cancel-dialog.js';
import { byId, control } from './dom.js';
import { RequestForm } from './form.js';
import { initialLanguage, isLang, rememberLanguage, setLanguage, t } from './i18n.js';
import { RequestList } from './list.js';
import { clearMessages } from './messages.js';
import { ReviewDialog } from './review-dialog.js';
import { Session } from './session.js';

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

/** @type {Session} */
const session = new Session({
  verify: () => list.load(),
  onEnd: () => {
    form.reset();
    list.reset();
  },
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

/** @type {RequestList} */
const list = new RequestList({ api, onCancel: (request) => cancel.open(request) });

const cancel = new CancelDialog({
  api,
  landing: byId('requests-title'),
  onCancelled: (request) => list.showCancelled(request),
  onFailed: (error) => list.showCancelFailure(error),
});

control('ui-language').addEventListener('change', (event) => {
  const lang = event.target instanceof HTMLSelectElement ? event.target.value : null;
  if (!isLang(lang)) return;
  rememberLanguage(lang);
  setLanguage(lang);
  clearMessages();
  form.render();
  list.render();
  review.render();
});

session.resume();
