/**
 * Renders every e-mail the service sends: `renderEmail(kind, data)` returns the subject and the
 * plain-text and HTML bodies. Pure: no I/O, no clock, no configuration. The caller picks the
 * recipient (see `emailRecipient`) and the sender.
 */
import type { EmailKind } from './email-kinds.ts';
import {
  type EmailBlock,
  type EmailContent,
  layOutEmail,
  type RenderedEmail,
} from './email-layout.ts';
import { multiline, singleLine } from './escape.ts';
import { DEFAULT_LOCALE, formatDateTime, isLocale, type Locale } from './locale.ts';
import { emailEn } from './locales/email-en.ts';
import { emailNl } from './locales/email-nl.ts';
import type { EmailStrings } from './locales/email-strings.ts';

export { EmailKind, emailRecipient, Recipient } from './email-kinds.ts';
export type { RenderedEmail } from './email-layout.ts';

/** What the request and its partner contribute to an e-mail; values are raw, not escaped. */
export interface EmailData {
  readonly locale: Locale;
  readonly accountName: string;
  readonly accountDomain: string;
  readonly customerEmail: string;
  readonly partnerName: string;
  readonly noteToCustomer?: string | null;
  readonly noteToUsers?: string | null;
  readonly userEmails: readonly string[];
  /** ISO 8601. */
  readonly expiresAt: string;
  /** Absolute http(s) URL; required for ACTIVATION and REMINDER. */
  readonly activationUrl?: string;
  /** Short machine reason (e.g. an SES bounce type); required for FAILED_PARTNER. */
  readonly failureReason?: string;
  /** The customer's own words when declining (DECLINED_PARTNER), if any. */
  readonly declineReason?: string | null;
  /** Whole days until `expiresAt`, for REMINDER. */
  readonly daysLeft?: number;
  readonly requestId: string;
}

export type EmailDataFor<K extends EmailKind> = K extends typeof EmailKind.ACTIVATION
  ? EmailData & { readonly activationUrl: string }
  : K extends typeof EmailKind.REMINDER
    ? EmailData & { readonly activationUrl: string; readonly daysLeft: number }
    : K extends typeof EmailKind.FAILED_PARTNER
      ? EmailData & { readonly failureReason: string }
      : EmailData;

const STRINGS: Readonly<Record<Locale, EmailStrings>> = { en: emailEn, nl: emailNl };

const FAILURE_REASON_MAX_LENGTH = 100;

export function renderEmail<K extends EmailKind>(kind: K, data: EmailDataFor<K>): RenderedEmail {
  const locale = isLocale(data.locale) ? data.locale : DEFAULT_LOCALE;
  const strings = STRINGS[locale];
  const values = displayValues(data, locale);
  const { subject, heading, blocks } = COMPOSERS[kind](strings, values, data);
  const content: EmailContent = {
    locale,
    subject,
    heading,
    blocks,
    footer: [strings.automated, strings.reference(values.requestId)],
  };
  return layOutEmail(content);
}

/** The request's values made fit for display: one line each, notes cleaned, date formatted. */
interface DisplayValues {
  readonly accountName: string;
  readonly accountDomain: string;
  /** "Name (domain)", for subjects and sentences. */
  readonly account: string;
  readonly partner: string;
  readonly customer: string;
  readonly users: readonly string[];
  readonly expiry: string;
  readonly requestId: string;
}

function displayValues(data: EmailData, locale: Locale): DisplayValues {
  const accountName = singleLine(data.accountName);
  const accountDomain = singleLine(data.accountDomain);
  return {
    accountName,
    accountDomain,
    account: `${accountName} (${accountDomain})`,
    partner: singleLine(data.partnerName),
    customer: singleLine(data.customerEmail),
    users: data.userEmails.map((email) => singleLine(email)).filter((email) => email !== ''),
    expiry: formatDateTime(data.expiresAt, locale),
    requestId: singleLine(data.requestId),
  };
}

type ComposedEmail = Pick<EmailContent, 'subject' | 'heading' | 'blocks'>;
type Composer = (strings: EmailStrings, values: DisplayValues, data: EmailData) => ComposedEmail;

const COMPOSERS: Readonly<Record<EmailKind, Composer>> = {
  ACTIVATION: (strings, values, data) => ({
    subject: strings.ACTIVATION.subject(values.account),
    heading: strings.ACTIVATION.heading,
    blocks: activationBlocks(strings, values, data, strings.ACTIVATION.intro(values.partner)),
  }),
  // The activation e-mail again, opened by the days left: the customer acts on the same link.
  REMINDER: (strings, values, data) => ({
    subject: strings.REMINDER.subject(values.account),
    heading: strings.REMINDER.heading,
    blocks: activationBlocks(
      strings,
      values,
      data,
      strings.REMINDER.intro(values.partner, daysLeft(data.daysLeft), values.expiry),
    ),
  }),
  EXPIRING_PARTNER: (strings, values) =>
    notice(strings, values, strings.EXPIRING_PARTNER, {
      body: strings.EXPIRING_PARTNER.body(values.customer, values.expiry),
      about: [customerFact(strings, values)],
      next: strings.EXPIRING_PARTNER.next,
    }),

  ACTIVATED_PARTNER: (strings, values) => {
    const text = strings.ACTIVATED_PARTNER;
    return {
      subject: text.subject(values.account),
      heading: text.heading,
      blocks: present([
        paragraph(text.body(values.customer)),
        facts([
          ...accountFacts(strings, values),
          { label: strings.labels.customerEmail, value: values.customer },
        ]),
        list(text.usersHeading, values.users),
      ]),
    };
  },
  ACTIVATED_USER: (strings, values, data) => {
    const text = strings.ACTIVATED_USER;
    return {
      subject: text.subject(values.account),
      heading: text.heading,
      blocks: present([
        paragraph(text.body(values.partner)),
        facts(accountFacts(strings, values)),
        note(strings.messageFrom(values.partner), data.noteToUsers),
      ]),
    };
  },
  DECLINED_PARTNER: (strings, values, data) =>
    notice(strings, values, strings.DECLINED_PARTNER, {
      body: strings.DECLINED_PARTNER.body(values.customer),
      about: [customerFact(strings, values)],
      quote: note(strings.DECLINED_PARTNER.reasonHeading, data.declineReason),
      next: strings.DECLINED_PARTNER.next,
    }),
  CANCELLED_CUSTOMER: (strings, values) =>
    notice(strings, values, strings.CANCELLED_CUSTOMER, {
      body: strings.CANCELLED_CUSTOMER.body(values.partner),
      about: [partnerFact(strings, values)],
      next: strings.CANCELLED_CUSTOMER.next(values.partner),
    }),
  EXPIRED_CUSTOMER: (strings, values) =>
    notice(strings, values, strings.EXPIRED_CUSTOMER, {
      body: strings.EXPIRED_CUSTOMER.body(values.partner, values.expiry),
      about: [partnerFact(strings, values)],
      next: strings.EXPIRED_CUSTOMER.next(values.partner),
    }),
  EXPIRED_PARTNER: (strings, values) =>
    notice(strings, values, strings.EXPIRED_PARTNER, {
      body: strings.EXPIRED_PARTNER.body(values.customer, values.expiry),
      about: [customerFact(strings, values)],
      next: strings.EXPIRED_PARTNER.next,
    }),
  FAILED_PARTNER: (strings, values, data) =>
    notice(strings, values, strings.FAILED_PARTNER, {
      body: strings.FAILED_PARTNER.body(values.customer),
      about: [
        customerFact(strings, values),
        { label: strings.labels.reason, value: failureReason(data.failureReason) },
      ],
      next: strings.FAILED_PARTNER.next,
    }),
};

/** What the customer reads before acting, in the activation e-mail and in every reminder. */
function activationBlocks(
  strings: EmailStrings,
  values: DisplayValues,
  data: EmailData,
  intro: string,
): EmailBlock[] {
  const text = strings.ACTIVATION;
  const url = activationUrl(data.activationUrl);
  return present([
    paragraph(intro),
    facts([
      ...accountFacts(strings, values),
      { label: strings.labels.requestedBy, value: values.partner },
      { label: strings.labels.validUntil, value: values.expiry },
    ]),
    note(strings.messageFrom(values.partner), data.noteToCustomer),
    list(text.usersHeading, values.users),
    { type: 'action', label: text.action, url, fallback: text.linkFallback },
    paragraph(text.ifNothing(values.expiry)),
    paragraph(text.notRecognized),
  ]);
}

interface Fact {
  readonly label: string;
  readonly value: string;
}

/** Every closing notice reads the same: what happened, the account and who it concerns, what next. */
function notice(
  strings: EmailStrings,
  values: DisplayValues,
  text: { readonly subject: (account: string) => string; readonly heading: string },
  parts: {
    readonly body: string;
    readonly about: readonly Fact[];
    /** Someone's own words, quoted after the facts (a decline reason). */
    readonly quote?: EmailBlock | undefined;
    readonly next: string;
  },
): ComposedEmail {
  return {
    subject: text.subject(values.account),
    heading: text.heading,
    blocks: present([
      paragraph(parts.body),
      facts([...accountFacts(strings, values), ...parts.about]),
      parts.quote,
      paragraph(parts.next),
    ]),
  };
}

function customerFact(strings: EmailStrings, values: DisplayValues): Fact {
  return { label: strings.labels.customerEmail, value: values.customer };
}

function partnerFact(strings: EmailStrings, values: DisplayValues): Fact {
  return { label: strings.labels.requestedBy, value: values.partner };
}

function accountFacts(strings: EmailStrings, values: DisplayValues) {
  return [
    { label: strings.labels.accountName, value: values.accountName },
    { label: strings.labels.accountDomain, value: values.accountDomain },
  ];
}

function paragraph(text: string): EmailBlock {
  return { type: 'paragraph', text };
}

function facts(rows: readonly { label: string; value: string }[]): EmailBlock {
  return { type: 'facts', facts: rows };
}

/** Nothing when the partner left the note empty. */
function note(heading: string, text: string | null | undefined): EmailBlock | undefined {
  const cleaned = multiline(text ?? '');
  return cleaned === '' ? undefined : { type: 'note', heading, text: cleaned };
}

/** Nothing when there are no items. */
function list(heading: string, items: readonly string[]): EmailBlock | undefined {
  return items.length === 0 ? undefined : { type: 'list', heading, items };
}

function present(blocks: readonly (EmailBlock | undefined)[]): EmailBlock[] {
  return blocks.filter((block) => block !== undefined);
}

// The link is the one thing in the e-mail a reader acts on, so anything but a plain web URL
// (javascript:, data:, credentials in the URL) is a bug upstream and must not be sent.
function activationUrl(value: string | undefined): string {
  const url = value === undefined ? null : URL.parse(value);
  if (url === null || !['https:', 'http:'].includes(url.protocol) || url.username || url.password) {
    throw new TypeError('ACTIVATION needs activationUrl: an absolute http(s) URL');
  }
  return url.href;
}

function daysLeft(value: number | undefined): number {
  if (value === undefined || !Number.isInteger(value) || value < 0) {
    throw new TypeError('REMINDER needs daysLeft: a whole number of days');
  }
  return Math.max(1, value);
}

function failureReason(value: string | undefined): string {
  const reason = singleLine(value ?? '', FAILURE_REASON_MAX_LENGTH);
  if (reason === '') throw new TypeError('FAILED_PARTNER needs failureReason');
  return reason;
}
