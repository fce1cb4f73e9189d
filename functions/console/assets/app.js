// @ts-check
/**
 * Partner console for the Smart Account Requests API. Plain browser JavaScript with no build
 * step, because the page must run under a CSP that allows only its own two files.
 * User-supplied text is only ever written with textContent, never as HTML.
 */

/** @typedef {'en' | 'nl'} Lang */
/** @typedef {{ path?: string, message?: string }} FieldError */
/** @typedef {{ title?: string, detail?: string, errorId?: string, errors?: FieldError[] }} Problem */
/**
 * @typedef {{
 *   id: string, status: string, accountName: string, accountDomain: string,
 *   customerEmail: string, noteToCustomer?: string | null, userEmails?: string[],
 *   noteToUsers?: string | null, locale?: string, createdAt?: string, expiresAt?: string | null
 * }} SmartAccountRequest
 */
/**
 * @typedef {{
 *   accountName: string, accountDomain: string, customerEmail: string, noteToCustomer?: string,
 *   userEmails: string[], noteToUsers?: string, locale: string
 * }} RequestBody
 */

const texts = {
  en: {
    title: 'Smart Account Requests – partner console',
    skipToContent: 'Skip to content',
    consoleName: 'Partner console',
    uiLanguage: 'Language',
    signOut: 'Sign out',
    signInTitle: 'Sign in',
    signInIntro:
      'Sign in with your partner API key. The key stays in this browser tab only and is forgotten when you close it.',
    apiKey: 'Partner API key',
    signIn: 'Sign in',
    keyRequired: 'Enter your partner API key.',
    keyRejected: 'The API key was not accepted. Sign in again with a valid key.',
    signedOut: 'You are signed out.',
    newRequestTitle: 'Request a Smart Account',
    newRequestIntro:
      'The customer receives an e-mail to accept the account. Nothing is created until you confirm the review.',
    errorSummaryTitle: 'Please correct the following',
    problemTitle: 'The request could not be sent',
    accountLegend: 'Account',
    accountName: 'Account name',
    accountDomain: 'Account domain',
    accountDomainHint: 'For example acme.example',
    customerLegend: 'Customer',
    customerEmail: 'Customer e-mail',
    customerEmailHint: 'The person who accepts the account.',
    noteToCustomer: 'Note to the customer (optional)',
    usersLegend: 'Users',
    userEmails: 'User e-mail addresses (optional)',
    userEmailsHint:
      'One per line or separated by commas, at most 50. They get access once the customer accepts.',
    noteToUsers: 'Note to the users (optional)',
    locale: 'Language of the e-mails',
    reviewButton: 'Review request',
    requestsTitle: 'Your requests',
    statusFilter: 'Status',
    allStatuses: 'All statuses',
    refresh: 'Refresh',
    colStatus: 'Status',
    colAccountName: 'Account name',
    colDomain: 'Domain',
    colCreated: 'Created',
    colExpires: 'Expires',
    colActions: 'Actions',
    noRequests: 'No requests found.',
    paging: 'Pages',
    firstPage: 'First page',
    nextPage: 'Next page',
    pageNumber: 'Page {n}',
    reviewTitle: 'Review request',
    reviewIntro:
      'This is the request as it will be created. The customer is e-mailed as soon as you confirm.',
    reviewExpires: 'Customer can accept until',
    back: 'Back',
    confirm: 'Confirm and create',
    none: 'None',
    cancelTitle: 'Cancel this request?',
    cancelText:
      'The request for {account} is withdrawn and {email} is told so by e-mail. This cannot be undone.',
    cancelKeep: 'Keep request',
    cancelConfirm: 'Cancel request',
    cancel: 'Cancel',
    resend: 'Resend',
    cancelled: 'The request for {account} was cancelled.',
    resent: 'The activation e-mail for {account} was sent again to {email}.',
    resendLimit: 'Resend limit reached: the activation e-mail for {account} cannot be sent again.',
    createdTitle: 'Provisional Smart Account created',
    createdBody:
      'A provisional Smart Account for {account} was created. We e-mailed {email} to accept it.',
    createdStatus: 'Status:',
    createdExpiry:
      'The customer can accept until {date}. After that the request expires and you can request a new one.',
    errorId: 'Error ID:',
    quoteSupport: 'Quote it when you contact support.',
    networkError: 'The service could not be reached. Check your connection and try again.',
    unexpected: 'Something went wrong.',
    'status.PENDING_ACTIVATION': 'Pending customer acceptance',
    'status.ACTIVE': 'Active',
    'status.DECLINED': 'Declined',
    'status.CANCELLED': 'Cancelled',
    'status.EXPIRED': 'Expired',
    'status.FAILED': 'Failed',
  },
  nl: {
    title: 'Smart Account-aanvragen – partnerconsole',
    skipToContent: 'Naar de inhoud',
    consoleName: 'Partnerconsole',
    uiLanguage: 'Taal',
    signOut: 'Afmelden',
    signInTitle: 'Aanmelden',
    signInIntro:
      'Meld u aan met uw partner-API-sleutel. De sleutel blijft alleen in dit browsertabblad en wordt vergeten zodra u het sluit.',
    apiKey: 'Partner-API-sleutel',
    signIn: 'Aanmelden',
    keyRequired: 'Vul uw partner-API-sleutel in.',
    keyRejected: 'De API-sleutel is niet geaccepteerd. Meld u opnieuw aan met een geldige sleutel.',
    signedOut: 'U bent afgemeld.',
    newRequestTitle: 'Smart Account aanvragen',
    newRequestIntro:
      'De klant krijgt een e-mail om het account te accepteren. Er wordt niets aangemaakt voordat u de controle bevestigt.',
    errorSummaryTitle: 'Corrigeer het volgende',
    problemTitle: 'De aanvraag kon niet worden verstuurd',
    accountLegend: 'Account',
    accountName: 'Accountnaam',
    accountDomain: 'Accountdomein',
    accountDomainHint: 'Bijvoorbeeld acme.example',
    customerLegend: 'Klant',
    customerEmail: 'E-mailadres van de klant',
    customerEmailHint: 'De persoon die het account accepteert.',
    noteToCustomer: 'Bericht aan de klant (optioneel)',
    usersLegend: 'Gebruikers',
    userEmails: 'E-mailadressen van gebruikers (optioneel)',
    userEmailsHint:
      "Eén per regel of gescheiden door komma's, maximaal 50. Zij krijgen toegang zodra de klant accepteert.",
    noteToUsers: 'Bericht aan de gebruikers (optioneel)',
    locale: 'Taal van de e-mails',
    reviewButton: 'Aanvraag controleren',
    requestsTitle: 'Uw aanvragen',
    statusFilter: 'Status',
    allStatuses: 'Alle statussen',
    refresh: 'Vernieuwen',
    colStatus: 'Status',
    colAccountName: 'Accountnaam',
    colDomain: 'Domein',
    colCreated: 'Aangemaakt',
    colExpires: 'Verloopt',
    colActions: 'Acties',
    noRequests: 'Geen aanvragen gevonden.',
    paging: "Pagina's",
    firstPage: 'Eerste pagina',
    nextPage: 'Volgende pagina',
    pageNumber: 'Pagina {n}',
    reviewTitle: 'Aanvraag controleren',
    reviewIntro: 'Zo wordt de aanvraag aangemaakt. De klant krijgt een e-mail zodra u bevestigt.',
    reviewExpires: 'Klant kan accepteren tot',
    back: 'Terug',
    confirm: 'Bevestigen en aanmaken',
    none: 'Geen',
    cancelTitle: 'Deze aanvraag annuleren?',
    cancelText:
      'De aanvraag voor {account} wordt ingetrokken en {email} krijgt daarover een e-mail. Dit kan niet ongedaan worden gemaakt.',
    cancelKeep: 'Aanvraag behouden',
    cancelConfirm: 'Aanvraag annuleren',
    cancel: 'Annuleren',
    resend: 'Opnieuw sturen',
    cancelled: 'De aanvraag voor {account} is geannuleerd.',
    resent: 'De activeringsmail voor {account} is opnieuw verstuurd naar {email}.',
    resendLimit:
      'Limiet bereikt: de activeringsmail voor {account} kan niet nog eens worden verstuurd.',
    createdTitle: 'Voorlopig Smart Account aangemaakt',
    createdBody:
      'Er is een voorlopig Smart Account voor {account} aangemaakt. We hebben {email} gemaild om het te accepteren.',
    createdStatus: 'Status:',
    createdExpiry:
      'De klant kan accepteren tot {date}. Daarna verloopt de aanvraag en kunt u een nieuwe aanvragen.',
    errorId: 'Foutcode:',
    quoteSupport: 'Vermeld deze als u contact opneemt met support.',
    networkError: 'De dienst is niet bereikbaar. Controleer uw verbinding en probeer het opnieuw.',
    unexpected: 'Er ging iets mis.',
    'status.PENDING_ACTIVATION': 'Wacht op acceptatie',
    'status.ACTIVE': 'Actief',
    'status.DECLINED': 'Geweigerd',
    'status.CANCELLED': 'Geannuleerd',
    'status.EXPIRED': 'Verlopen',
    'status.FAILED': 'Mislukt',
  },
};

const languageNames = { en: 'English', nl: 'Nederlands' };
// Relative to this script, so the console also works under a stage path such as /prod.
const apiPath = new URL('../v1/smart-account-requests', import.meta.url).pathname;
const keyStorage = 'sar.partnerKey';
const langStorage = 'sar.language';
const pageSize = 20;
const fields = [
  'accountName',
  'accountDomain',
  'customerEmail',
  'noteToCustomer',
  'userEmails',
  'noteToUsers',
  'locale',
];

const state = {
  /** @type {Lang} */
  lang: 'en',
  /** @type {string | null} */
  cursor: null,
  /** @type {string | null} */
  nextCursor: null,
  page: 1,
  /** @type {SmartAccountRequest[]} */
  items: [],
  /** @type {RequestBody | null} the body the current field errors refer to */
  checkedBody: null,
  /** @type {FieldError[]} */
  fieldErrors: [],
  /** @type {Problem | null} */
  formProblem: null,
  /** @type {SmartAccountRequest | null} */
  created: null,
  /** @type {{ body: RequestBody, normalized: SmartAccountRequest, idempotencyKey: string } | null} */
  review: null,
  /** @type {SmartAccountRequest | null} */
  cancelling: null,
  busy: false,
};

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @param {string} id */
const control = (id) =>
  /** @type {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement} */ (
    document.getElementById(id)
  );

const requestForm = () => /** @type {HTMLFormElement} */ (document.getElementById('request-form'));

/**
 * @param {string} tag
 * @param {Record<string, string>} [attributes]
 * @param {...(Node | string)} children
 */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/**
 * @param {string} key
 * @param {Record<string, string | number>} [params]
 */
function t(key, params = {}) {
  const table = /** @type {Record<string, string>} */ (texts[state.lang]);
  const text = table[key] ?? /** @type {Record<string, string>} */ (texts.en)[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (match, name) => String(params[name] ?? match));
}

/** @param {string | null | undefined} iso */
function formatDate(iso, withTime = false) {
  if (!iso) return '—';
  const options = withTime
    ? /** @type {const} */ ({ dateStyle: 'medium', timeStyle: 'short' })
    : /** @type {const} */ ({ dateStyle: 'long' });
  return new Intl.DateTimeFormat(state.lang === 'nl' ? 'nl-NL' : 'en-GB', options).format(
    new Date(iso),
  );
}

/** @param {string | null | undefined} iso */
const timeElement = (iso, withTime = false) =>
  iso ? h('time', { datetime: iso }, formatDate(iso, withTime)) : '—';

/** @param {SmartAccountRequest} request */
const accountLabel = (request) => `${request.accountName} (${request.accountDomain})`;

// ---- API ----

class ApiError extends Error {
  /**
   * @param {number} status
   * @param {Problem} problem
   */
  constructor(status, problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/**
 * Every call carries the key from sessionStorage; a 401 anywhere ends the session, so callers
 * only handle the errors that mean something for their own action.
 * @param {string} method
 * @param {string} path
 * @param {{ body?: unknown, headers?: Record<string, string> }} [options]
 * @returns {Promise<any>}
 */
async function api(method, path, { body, headers = {} } = {}) {
  /** @type {Response} */
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        Accept: 'application/json, application/problem+json',
        Authorization: `Bearer ${sessionStorage.getItem(keyStorage) ?? ''}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, { detail: t('networkError') });
  }
  const text = await response.text();
  /** @type {any} */
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (response.ok) return data;
  if (response.status === 401) signOut(t('keyRejected'));
  throw new ApiError(response.status, data && typeof data === 'object' ? data : {});
}

/**
 * A problem as text a partner can quote to support: the detail and the error id.
 * @param {unknown} error
 * @param {string} [fallback]
 */
function problemNodes(error, fallback) {
  const problem = error instanceof ApiError ? error.problem : {};
  /** @type {(Node | string)[]} */
  const nodes = [h('span', {}, fallback ?? problem.detail ?? problem.title ?? t('unexpected'))];
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

/** @param {unknown} error */
const isSessionEnd = (error) => error instanceof ApiError && error.status === 401;

// ---- messages ----

/**
 * Live regions stay in the DOM and are emptied rather than hidden, so screen readers
 * announce the next message reliably.
 * @param {HTMLElement} region
 * @param {...(Node | string)} content
 */
function say(region, ...content) {
  region.replaceChildren(...content);
}

const statusRegion = () => byId('status');
const requestsAlert = () => byId('requests-alert');

function clearMessages() {
  for (const id of [
    'status',
    'requests-alert',
    'sign-in-message',
    'sign-in-status',
    'review-error',
  ]) {
    say(byId(id));
  }
}

// ---- language ----

/** @param {Lang} lang */
function setLanguage(lang) {
  state.lang = lang;
  document.documentElement.lang = lang;
  document.title = t('title');
  for (const element of document.querySelectorAll('[data-i18n]')) {
    element.textContent = t(/** @type {HTMLElement} */ (element).dataset.i18n ?? '');
  }
  control('ui-language').value = lang;
  clearMessages();
  renderFormErrors();
  renderConfirmation();
  renderRequests();
  if (state.review) renderReview();
}

/** @returns {Lang} */
function initialLanguage() {
  const stored = localStorage.getItem(langStorage);
  if (stored === 'en' || stored === 'nl') return stored;
  return navigator.language.toLowerCase().startsWith('nl') ? 'nl' : 'en';
}

// ---- session ----

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

/**
 * @param {string} message
 * @param {'sign-in-message' | 'sign-in-status'} [region] the alert for a rejected key, the
 *   status region for a sign-out the partner asked for
 */
function signOut(message, region = 'sign-in-message') {
  sessionStorage.removeItem(keyStorage);
  for (const dialog of document.querySelectorAll('dialog')) dialog.close();
  Object.assign(state, {
    cursor: null,
    nextCursor: null,
    page: 1,
    items: [],
    created: null,
    fieldErrors: [],
    formProblem: null,
    checkedBody: null,
  });
  requestForm().reset();
  control('locale').value = state.lang;
  renderFormErrors();
  renderConfirmation();
  renderRequests();
  clearMessages();
  showSignIn();
  say(byId(region), message);
  byId('api-key').focus();
}

/** @param {SubmitEvent} event */
async function signIn(event) {
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
  if (await loadRequests()) {
    input.value = '';
    showWorkspace();
    byId('accountName').focus();
  } else {
    sessionStorage.removeItem(keyStorage);
  }
}

// ---- request form ----

/** @param {string} value */
const splitEmails = (value) =>
  value
    .split(/[\s,;]+/)
    .map((email) => email.trim())
    .filter(Boolean);

/** @returns {RequestBody} */
function readForm() {
  const value = (/** @type {string} */ name) => control(name).value;
  /** @type {RequestBody} */
  const body = {
    accountName: value('accountName'),
    accountDomain: value('accountDomain').trim(),
    customerEmail: value('customerEmail').trim(),
    userEmails: splitEmails(value('userEmails')),
    locale: value('locale'),
  };
  // Blank notes are left out: the contract makes them optional, not empty strings.
  const noteToCustomer = value('noteToCustomer').trim();
  if (noteToCustomer) body.noteToCustomer = noteToCustomer;
  const noteToUsers = value('noteToUsers').trim();
  if (noteToUsers) body.noteToUsers = noteToUsers;
  return body;
}

/**
 * `userEmails.2` belongs to the userEmails field; a path the form has no field for is only
 * listed in the summary.
 * @param {string | undefined} path
 */
const fieldOf = (path) => {
  const name = String(path ?? '').split(/[.[]/)[0] ?? '';
  return fields.includes(name) ? name : null;
};

/**
 * A field's label without its "(optional)" marker, for the summary and the review.
 * @param {string} name
 */
const fieldLabel = (name) => t(name).replace(/\s*\((?:optional|optioneel)\)$/, '');

/** @param {FieldError} error */
function describeFieldError(error) {
  const match = /^userEmails[.[](\d+)/.exec(error.path ?? '');
  const address = match ? state.checkedBody?.userEmails[Number(match[1])] : undefined;
  const message = error.message ?? t('unexpected');
  return address ? `${address}: ${message}` : message;
}

function renderFormErrors() {
  for (const name of fields) {
    const input = byId(name);
    const errorElement = byId(`${name}-error`);
    const messages = state.fieldErrors
      .filter((error) => fieldOf(error.path) === name)
      .map(describeFieldError);
    errorElement.replaceChildren(...messages.map((message) => h('span', {}, message)));
    errorElement.hidden = messages.length === 0;
    const describedBy = [`${name}-hint`, `${name}-error`].filter(
      (id) => document.getElementById(id) && !byId(id).hidden,
    );
    if (messages.length) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
    if (describedBy.length) input.setAttribute('aria-describedby', describedBy.join(' '));
    else input.removeAttribute('aria-describedby');
  }

  const summary = byId('error-summary');
  const list = byId('error-summary-list');
  const problem = byId('error-summary-problem');
  const hasErrors = state.fieldErrors.length > 0;
  summary.hidden = !hasErrors && !state.formProblem;
  byId('error-summary-title').textContent = t(hasErrors ? 'errorSummaryTitle' : 'problemTitle');
  // The summary follows the form's order, whatever order the API listed the errors in.
  const rank = (/** @type {FieldError} */ error) => {
    const index = fields.indexOf(fieldOf(error.path) ?? '');
    return index === -1 ? fields.length : index;
  };
  list.replaceChildren(
    ...state.fieldErrors
      .toSorted((a, b) => rank(a) - rank(b))
      .map((error) => {
        const name = fieldOf(error.path);
        const text = describeFieldError(error);
        if (!name) return h('li', {}, text);
        return h(
          'li',
          {},
          h('a', { href: `#${name}`, 'data-field': name }, `${fieldLabel(name)}: ${text}`),
        );
      }),
  );
  problem.replaceChildren(
    ...(state.formProblem && !hasErrors ? problemNodes(new ApiError(0, state.formProblem)) : []),
  );
  problem.hidden = !state.formProblem || hasErrors;
}

/**
 * @param {unknown} error
 * @param {RequestBody} body
 */
function showFormFailure(error, body) {
  if (isSessionEnd(error)) return;
  const problem = error instanceof ApiError ? error.problem : { detail: t('unexpected') };
  state.checkedBody = body;
  state.fieldErrors = Array.isArray(problem.errors) ? problem.errors : [];
  state.formProblem = problem;
  renderFormErrors();
  byId('error-summary').focus();
}

function clearFormErrors() {
  state.fieldErrors = [];
  state.formProblem = null;
  renderFormErrors();
}

/** @param {SubmitEvent} event */
async function reviewRequest(event) {
  event.preventDefault();
  if (state.busy) return;
  state.busy = true;
  byId('request-form').setAttribute('aria-busy', 'true');
  clearFormErrors();
  state.created = null;
  renderConfirmation();
  const body = readForm();
  try {
    const normalized = await api('POST', `${apiPath}?dryRun=true`, { body });
    openReview(body, normalized);
  } catch (error) {
    showFormFailure(error, body);
  } finally {
    state.busy = false;
    byId('request-form').removeAttribute('aria-busy');
  }
}

// ---- review dialog ----

/**
 * @param {RequestBody} body
 * @param {SmartAccountRequest} normalized
 */
function openReview(body, normalized) {
  // One key for the dialog's lifetime: a double click or a retry after a lost response
  // replays the first create instead of making a second one.
  state.review = { body, normalized, idempotencyKey: crypto.randomUUID() };
  renderReview();
  say(byId('review-error'));
  const dialog = byId('review-dialog');
  /** @type {HTMLDialogElement} */ (dialog).showModal();
  byId('review-title').focus();
}

function renderReview() {
  if (!state.review) return;
  const request = state.review.normalized;
  const text = (/** @type {string | null | undefined} */ value) => value || t('none');
  const emails = request.userEmails ?? [];
  /** @type {[string, Node | string][]} */
  const rows = [
    ['accountName', request.accountName],
    ['accountDomain', request.accountDomain],
    ['customerEmail', request.customerEmail],
    ['noteToCustomer', text(request.noteToCustomer)],
    [
      'userEmails',
      emails.length ? h('ul', {}, ...emails.map((email) => h('li', {}, email))) : t('none'),
    ],
    ['noteToUsers', text(request.noteToUsers)],
    [
      'locale',
      languageNames[/** @type {Lang} */ (request.locale)] ?? request.locale ?? languageNames.en,
    ],
  ];
  if (request.expiresAt) rows.push(['reviewExpires', timeElement(request.expiresAt)]);
  byId('review-details').replaceChildren(
    ...rows.flatMap(([key, value]) => [h('dt', {}, fieldLabel(key)), h('dd', {}, value)]),
  );
}

async function confirmReview() {
  const review = state.review;
  const button = byId('review-confirm');
  if (!review || button.getAttribute('aria-disabled') === 'true') return;
  // aria-disabled rather than disabled: a disabled button drops focus out of the dialog.
  button.setAttribute('aria-disabled', 'true');
  say(byId('review-error'));
  try {
    const created = await api('POST', apiPath, {
      body: review.body,
      headers: { 'Idempotency-Key': review.idempotencyKey },
    });
    closeReview();
    requestForm().reset();
    control('locale').value = state.lang;
    state.created = created;
    renderConfirmation();
    state.cursor = null;
    state.page = 1;
    await loadRequests();
  } catch (error) {
    if (isSessionEnd(error)) return;
    const problem = error instanceof ApiError ? error.problem : {};
    if (Array.isArray(problem.errors) && problem.errors.length) {
      closeReview();
      showFormFailure(error, review.body);
    } else {
      say(byId('review-error'), ...problemNodes(error));
    }
  } finally {
    button.removeAttribute('aria-disabled');
  }
}

function closeReview() {
  const dialog = /** @type {HTMLDialogElement} */ (byId('review-dialog'));
  if (dialog.open) dialog.close();
}

function onReviewClosed() {
  state.review = null;
  if (!byId('workspace').hidden) byId('review-button').focus();
}

function renderConfirmation() {
  const region = byId('confirmation');
  const request = state.created;
  if (!request) {
    say(region);
    return;
  }
  say(
    region,
    h('h2', {}, t('createdTitle')),
    h('p', {}, t('createdBody', { account: accountLabel(request), email: request.customerEmail })),
    h(
      'p',
      {},
      `${t('createdStatus')} `,
      h('strong', { class: 'badge', 'data-status': request.status }, t(`status.${request.status}`)),
    ),
    h('p', {}, t('createdExpiry', { date: formatDate(request.expiresAt) })),
  );
}

// ---- requests list ----

/** @returns {Promise<boolean>} whether the list loaded */
async function loadRequests() {
  const params = new URLSearchParams({ limit: String(pageSize) });
  const status = control('status-filter').value;
  if (status) params.set('status', status);
  if (state.cursor) params.set('cursor', state.cursor);
  const table = byId('requests-table');
  table.setAttribute('aria-busy', 'true');
  try {
    const page = await api('GET', `${apiPath}?${params}`);
    state.items = Array.isArray(page?.items) ? page.items : [];
    state.nextCursor = page?.nextCursor ?? null;
    say(requestsAlert());
    renderRequests();
    return true;
  } catch (error) {
    if (!isSessionEnd(error)) {
      // The list is hidden before sign-in, so a failed first load reports next to the key.
      const region = byId('workspace').hidden ? byId('sign-in-message') : requestsAlert();
      say(region, ...problemNodes(error));
    }
    return false;
  } finally {
    table.removeAttribute('aria-busy');
  }
}

function renderRequests() {
  byId('requests-body').replaceChildren(...state.items.map(requestRow));
  byId('requests-empty').hidden = state.items.length > 0;
  byId('first-page').toggleAttribute('disabled', state.cursor === null);
  byId('next-page').toggleAttribute('disabled', state.nextCursor === null);
  byId('page-number').textContent = t('pageNumber', { n: state.page });
}

/** @param {SmartAccountRequest} request */
function requestRow(request) {
  const pending = request.status === 'PENDING_ACTIVATION';
  const showsExpiry = pending || request.status === 'EXPIRED';
  const actions = pending
    ? [
        actionButton('resend', request, () => resend(request)),
        actionButton('cancel', request, () => askCancel(request)),
      ]
    : [];
  return h(
    'tr',
    { 'data-id': request.id },
    h(
      'td',
      {},
      h('span', { class: 'badge', 'data-status': request.status }, t(`status.${request.status}`)),
    ),
    h('td', { class: 'account-name' }, request.accountName),
    h('td', { class: 'nowrap' }, request.accountDomain),
    h('td', { class: 'nowrap' }, timeElement(request.createdAt, true)),
    h('td', { class: 'nowrap' }, showsExpiry ? timeElement(request.expiresAt) : '—'),
    h('td', { class: 'row-actions' }, ...actions),
  );
}

/**
 * The visible label is short; the hidden part names the row for screen reader users who
 * reach the button without reading the row.
 * @param {'resend' | 'cancel'} action
 * @param {SmartAccountRequest} request
 * @param {() => void} onClick
 */
function actionButton(action, request, onClick) {
  const button = h(
    'button',
    { type: 'button', class: action === 'cancel' ? 'small danger' : 'small secondary' },
    t(action),
    h('span', { class: 'visually-hidden' }, ` ${request.accountDomain}`),
  );
  button.dataset.action = action;
  button.addEventListener('click', onClick);
  return button;
}

/** @param {SmartAccountRequest} request */
async function resend(request) {
  const button = document.querySelector(
    `tr[data-id="${CSS.escape(request.id)}"] [data-action="resend"]`,
  );
  if (button?.getAttribute('aria-disabled') === 'true') return;
  button?.setAttribute('aria-disabled', 'true');
  clearMessages();
  try {
    await api('POST', `${apiPath}/${encodeURIComponent(request.id)}/resend`);
    say(
      statusRegion(),
      t('resent', { account: accountLabel(request), email: request.customerEmail }),
    );
  } catch (error) {
    if (isSessionEnd(error)) return;
    const limited = error instanceof ApiError && error.status === 429;
    say(
      requestsAlert(),
      ...problemNodes(
        error,
        limited ? t('resendLimit', { account: accountLabel(request) }) : undefined,
      ),
    );
    if (error instanceof ApiError && error.status === 409) await loadRequests();
  } finally {
    button?.removeAttribute('aria-disabled');
  }
}

/** @type {HTMLElement | null} */
let cancelOpener = null;

/** @param {SmartAccountRequest} request */
function askCancel(request) {
  state.cancelling = request;
  cancelOpener = /** @type {HTMLElement | null} */ (document.activeElement);
  byId('cancel-text').textContent = t('cancelText', {
    account: accountLabel(request),
    email: request.customerEmail,
  });
  /** @type {HTMLDialogElement} */ (byId('cancel-dialog')).showModal();
  byId('cancel-title').focus();
}

async function confirmCancel() {
  const request = state.cancelling;
  const button = byId('cancel-confirm');
  if (!request || button.getAttribute('aria-disabled') === 'true') return;
  button.setAttribute('aria-disabled', 'true');
  clearMessages();
  try {
    await api('POST', `${apiPath}/${encodeURIComponent(request.id)}/cancel`);
    // The row's buttons disappear with the reload, so focus moves to the list heading.
    cancelOpener = byId('requests-title');
    closeCancel();
    say(statusRegion(), t('cancelled', { account: accountLabel(request) }));
    await loadRequests();
  } catch (error) {
    if (isSessionEnd(error)) return;
    closeCancel();
    say(requestsAlert(), ...problemNodes(error));
    await loadRequests();
  } finally {
    button.removeAttribute('aria-disabled');
  }
}

function closeCancel() {
  const dialog = /** @type {HTMLDialogElement} */ (byId('cancel-dialog'));
  if (dialog.open) dialog.close();
}

function onCancelClosed() {
  state.cancelling = null;
  if (cancelOpener?.isConnected && !byId('workspace').hidden) cancelOpener.focus();
  cancelOpener = null;
}

/** @param {{ first?: boolean, next?: boolean }} move */
async function changePage({ first = false, next = false }) {
  if (first) {
    state.cursor = null;
    state.page = 1;
  } else if (next && state.nextCursor) {
    state.cursor = state.nextCursor;
    state.page += 1;
  }
  clearMessages();
  await loadRequests();
  // On the first or last page the button just used is disabled and has lost focus.
  if (document.activeElement === document.body) byId('requests-title').focus();
}

// ---- wiring ----

function start() {
  setLanguage(initialLanguage());
  control('locale').value = state.lang;

  byId('ui-language').addEventListener('change', () => {
    const lang = /** @type {Lang} */ (control('ui-language').value);
    // Only an explicit choice is remembered; otherwise the browser's language keeps deciding.
    localStorage.setItem(langStorage, lang);
    setLanguage(lang);
  });
  byId('sign-in-form').addEventListener('submit', signIn);
  byId('sign-out').addEventListener('click', () => signOut(t('signedOut'), 'sign-in-status'));
  byId('request-form').addEventListener('submit', reviewRequest);
  byId('error-summary-list').addEventListener('click', (event) => {
    const link = /** @type {HTMLElement} */ (event.target).closest('a[data-field]');
    if (!(link instanceof HTMLElement)) return;
    event.preventDefault();
    byId(link.dataset.field ?? '').focus();
  });

  byId('review-back').addEventListener('click', closeReview);
  byId('review-confirm').addEventListener('click', confirmReview);
  byId('review-dialog').addEventListener('close', onReviewClosed);
  byId('cancel-keep').addEventListener('click', closeCancel);
  byId('cancel-confirm').addEventListener('click', confirmCancel);
  byId('cancel-dialog').addEventListener('close', onCancelClosed);

  byId('status-filter').addEventListener('change', () => changePage({ first: true }));
  byId('refresh').addEventListener('click', async () => {
    clearMessages();
    await loadRequests();
  });
  byId('first-page').addEventListener('click', () => changePage({ first: true }));
  byId('next-page').addEventListener('click', () => changePage({ next: true }));

  if (sessionStorage.getItem(keyStorage)) {
    showWorkspace();
    loadRequests();
  } else {
    showSignIn();
  }
}

start();
