import { describe, expect, it } from 'vitest';
import {
  type EmailData,
  EmailKind,
  emailRecipient,
  Recipient,
  renderEmail,
} from '../../../functions/messages/emails.ts';
import type { Locale } from '../../../functions/messages/locale.ts';
import {
  ACTIVATION_URL,
  ATTRIBUTE_BREAKOUT,
  benignEmailData,
  eventHandlerTags,
  FAKE_LINK_LINE,
  hostileEmailData,
  tagNames,
  urlsIn,
} from './fixtures.ts';

const KINDS = Object.values(EmailKind);
const LOCALES: readonly Locale[] = ['en', 'nl'];
const CASES = LOCALES.flatMap((locale) => KINDS.map((kind) => [kind, locale] as const));

function render(kind: EmailKind, data: typeof benignEmailData, locale: Locale) {
  return renderEmail(kind, { ...data, locale });
}

/** How a caller that picks the kind at run time sees renderEmail: any kind, the common data. */
function renderAnyKind(kind: EmailKind, data: EmailData) {
  return renderEmail(kind, data);
}

const EMAIL_TAGS = new Set([
  'html',
  'head',
  'meta',
  'title',
  'body',
  'div',
  'h1',
  'p',
  'table',
  'tr',
  'th',
  'td',
  'blockquote',
  'br',
  'ul',
  'li',
  'a',
  'hr',
]);

describe.each(CASES)('%s e-mail in %s', (kind, locale) => {
  const email = render(kind, benignEmailData, locale);

  it('names the account by name and domain in subject, text and HTML', () => {
    for (const part of [email.subject, email.text, email.html]) {
      expect(part).toContain('Acme BV');
      expect(part).toContain('acme.example');
    }
  });

  it('is an HTML document in the right language with a plain-text part', () => {
    expect(email.html.startsWith(`<!DOCTYPE html>\n<html lang="${locale}">`)).toBe(true);
    expect(email.text).not.toContain('<');
    expect(email.text).toContain('Acme BV');
  });

  it('carries the request id for support', () => {
    expect(email.text).toContain('sar_01JDX5Q6ZKQ4W8Y7T2R9M3N1PB');
    expect(email.html).toContain('sar_01JDX5Q6ZKQ4W8Y7T2R9M3N1PB');
  });

  it('links to nothing but the activation page, and only in the e-mails the customer acts on', () => {
    const actedOn: EmailKind[] = [EmailKind.ACTIVATION, EmailKind.REMINDER];
    const expected = actedOn.includes(kind) ? [ACTIVATION_URL] : [];
    expect(new Set(urlsIn(email.html))).toEqual(new Set(expected));
    expect(new Set(urlsIn(email.text))).toEqual(new Set(expected));
    expect(email.html).not.toMatch(/\ssrc=|<link|<img|url\(/i);
  });

  it('uses inline styles only', () => {
    expect(tagNames(email.html).has('style')).toBe(false);
    expect(email.html).toContain('style="');
  });

  it('keeps user markup, quotes and line breaks harmless', () => {
    const hostile = render(kind, hostileEmailData, locale);
    expect(hostile.subject).not.toMatch(/[\r\n]/);
    expect(hostile.subject).toContain('<script>alert(1)</script> Bcc: victim@evil.example');
    expect(hostile.subject).toContain(ATTRIBUTE_BREAKOUT);
    expect([...tagNames(hostile.html)].filter((tag) => !EMAIL_TAGS.has(tag))).toEqual([]);
    expect(eventHandlerTags(hostile.html)).toEqual([]);
    expect(hostile.html).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt; Bcc: victim@evil.example',
    );
    expect(hostile.html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(hostile.html).not.toContain(ATTRIBUTE_BREAKOUT);
    expect(hostile.text.split('\n').filter((line) => /^(Bcc|X-Injected):/.test(line))).toEqual([]);
  });
});

describe('the activation e-mail', () => {
  it('says who asks, shows the note, the users, the link and the expiry', () => {
    const { text, html } = renderEmail(EmailKind.ACTIVATION, benignEmailData);
    expect(text).toContain('Reseller One has requested a Smart Account');
    expect(text).toContain('> please activate this so we can order your licences.');
    expect(text).toContain('- a@acme.example');
    expect(text).toContain(`Review and activate:\n${ACTIVATION_URL}\n`);
    expect(text).toContain('23 February 2027 at 10:00 UTC');
    expect(text).toContain('If you do nothing, the request expires then');
    expect(html).toContain(`<a href="${ACTIVATION_URL}"`);
    expect(html).toContain('Hello,<br>please activate this');
  });

  it('is written in Dutch for nl', () => {
    const { subject, text } = renderEmail(EmailKind.ACTIVATION, {
      ...benignEmailData,
      locale: 'nl',
    });
    expect(subject).toBe('Activeer uw Smart Account Acme BV (acme.example)');
    expect(text).toContain('Reseller One heeft een Smart Account voor uw organisatie aangevraagd');
    expect(text).toContain('De link is geldig tot 23 februari 2027 om 10:00 UTC.');
    expect(text).toContain(`Bekijken en activeren:\n${ACTIVATION_URL}\n`);
  });

  it('quotes every line of a note, so it cannot pass for our own link', () => {
    const { text } = renderEmail(EmailKind.ACTIVATION, hostileEmailData);
    expect(text).toContain(`> ${FAKE_LINK_LINE}`);
    const linkLines = text.split('\n').filter((line) => /https?:\/\//.test(line));
    expect(linkLines).toEqual([`> ${FAKE_LINK_LINE}`, ACTIVATION_URL]);
    expect(text).not.toMatch(/^-- \nSupport/m);
  });

  it('leaves out the note and user list when there are none', () => {
    const { text } = renderEmail(EmailKind.ACTIVATION, {
      ...benignEmailData,
      noteToCustomer: '  \n ',
      userEmails: [],
    });
    expect(text).not.toContain('Message from');
    expect(text).not.toContain('will get access');
  });

  it('refuses to render without an http(s) activation link', () => {
    const kind = EmailKind.ACTIVATION;
    const { activationUrl: _omitted, ...withoutUrl } = benignEmailData;
    expect(() => renderAnyKind(kind, withoutUrl)).toThrow(/activationUrl/);
    expect(() =>
      renderAnyKind(kind, { ...benignEmailData, activationUrl: 'javascript:alert(1)' }),
    ).toThrow(TypeError);
    expect(() =>
      renderAnyKind(kind, { ...benignEmailData, activationUrl: 'https://user:pw@sar.example/a' }),
    ).toThrow(TypeError);
  });
});

describe('the reminder', () => {
  it.each([
    [
      'en',
      'Reminder: please activate your Smart Account Acme BV (acme.example)',
      'The request expires in 7 days, on 23 February 2027 at 10:00 UTC.',
    ],
    [
      'nl',
      'Herinnering: activeer uw Smart Account Acme BV (acme.example)',
      'De aanvraag vervalt over 7 dagen, op 23 februari 2027 om 10:00 UTC.',
    ],
  ] as const)('is the activation e-mail with the days left (%s)', (locale, subject, daysLine) => {
    const email = renderEmail(EmailKind.REMINDER, { ...benignEmailData, locale });
    expect(email.subject).toBe(subject);
    expect(email.text).toContain(daysLine);
    expect(email.text).toContain(`${ACTIVATION_URL}\n`);
    expect(email.text).toContain('> please activate this so we can order your licences.');
    expect(email.html).toContain(`<a href="${ACTIVATION_URL}"`);
  });

  it('says "within a day" on the last day rather than "0 days"', () => {
    const { text } = renderEmail(EmailKind.REMINDER, { ...benignEmailData, daysLeft: 0 });
    expect(text).toContain('The request expires within a day, on 23 February 2027');
    expect(text).not.toMatch(/\b0 days\b/);
  });

  it('refuses to render without the days left or the link', () => {
    const { daysLeft: _days, ...withoutDays } = benignEmailData;
    expect(() => renderAnyKind(EmailKind.REMINDER, withoutDays)).toThrow(/daysLeft/);
    const { activationUrl: _url, ...withoutUrl } = benignEmailData;
    expect(() => renderAnyKind(EmailKind.REMINDER, withoutUrl)).toThrow(/activationUrl/);
  });
});

describe("the partner's expires-soon e-mail", () => {
  it.each([
    ['en', 'Smart Account request expires soon: Acme BV (acme.example)', 'has not yet activated'],
    [
      'nl',
      'Smart Account-aanvraag verloopt binnenkort: Acme BV (acme.example)',
      'heeft de onderstaande Smart Account nog niet geactiveerd',
    ],
  ] as const)('names the customer and the expiry date (%s)', (locale, subject, line) => {
    const email = renderEmail(EmailKind.EXPIRING_PARTNER, { ...benignEmailData, locale });
    expect(email.subject).toBe(subject);
    expect(email.text).toContain(`it@acme.example ${line}`);
    expect(email.text).toMatch(/23 (February|februari) 2027/);
  });
});

describe('the other e-mails', () => {
  it('tells users they have access, with the note to users', () => {
    const { subject, text } = renderEmail(EmailKind.ACTIVATED_USER, benignEmailData);
    expect(subject).toBe('You now have access to the Smart Account Acme BV (acme.example)');
    expect(text).toContain('> Welcome aboard.');
    expect(text).not.toContain('please activate');
  });

  it('confirms activation to the partner and lists the users told', () => {
    const { subject, text } = renderEmail(EmailKind.ACTIVATED_PARTNER, {
      ...benignEmailData,
      locale: 'nl',
    });
    expect(subject).toBe('Smart Account geactiveerd: Acme BV (acme.example)');
    expect(text).toContain(
      'it@acme.example heeft de Smart Account die u hebt aangevraagd geactiveerd.',
    );
    expect(text).toContain('- b@acme.example');
  });

  it('tells the partner the customer declined', () => {
    const { subject } = renderEmail(EmailKind.DECLINED_PARTNER, {
      ...benignEmailData,
      locale: 'nl',
    });
    expect(subject).toBe('Smart Account-aanvraag geweigerd: Acme BV (acme.example)');
  });

  it('tells the customer the partner withdrew the request', () => {
    const { text } = renderEmail(EmailKind.CANCELLED_CUSTOMER, benignEmailData);
    expect(text).toContain('Reseller One has withdrawn the request');
  });

  it('tells customer and partner that the request expired and can be made again', () => {
    const customer = renderEmail(EmailKind.EXPIRED_CUSTOMER, benignEmailData);
    const partner = renderEmail(EmailKind.EXPIRED_PARTNER, { ...benignEmailData, locale: 'nl' });
    expect(customer.text).toContain('ask Reseller One to request the Smart Account again');
    expect(partner.text).toContain('kunt u de Smart Account eenvoudig opnieuw aanvragen');
    expect(partner.text).toContain('niet vóór 23 februari 2027 om 10:00 UTC geactiveerd');
  });

  it('tells the partner the customer was unreachable, with the reason code', () => {
    const { text } = renderEmail(EmailKind.FAILED_PARTNER, benignEmailData);
    expect(text).toMatch(/^Reason: +Bounce:Permanent:General$/m);
    expect(text).toContain(
      "check the customer's e-mail address and request the Smart Account again",
    );
  });

  it('flattens a hostile reason code onto one line', () => {
    const { text, html } = renderEmail(EmailKind.FAILED_PARTNER, hostileEmailData);
    expect(text).toMatch(/^Reason: +Bounce <script>alert\(1\)<\/script>$/m);
    expect(html).toContain('Bounce &lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('refuses FAILED_PARTNER without a reason', () => {
    const kind = EmailKind.FAILED_PARTNER;
    expect(() => renderAnyKind(kind, { ...benignEmailData, failureReason: ' \r\n' })).toThrow(
      /failureReason/,
    );
  });

  it('falls back to English for an unknown locale', () => {
    const data = { ...benignEmailData, locale: 'de' } as unknown as EmailData;
    expect(renderEmail(EmailKind.CANCELLED_CUSTOMER, data).subject).toBe(
      'Smart Account request withdrawn: Acme BV (acme.example)',
    );
  });
});

describe('translations', () => {
  it.each(KINDS)('%s differs between English and Dutch in every part', (kind) => {
    const en = render(kind, benignEmailData, 'en');
    const nl = render(kind, benignEmailData, 'nl');
    expect(nl.subject).not.toBe(en.subject);
    const enLines = new Set(en.text.split('\n'));
    const sharedSentences = nl.text
      .split('\n')
      .filter((line) => line.length > 30 && enLines.has(line))
      .filter((line) => !line.startsWith('>') && line !== ACTIVATION_URL);
    expect(sharedSentences).toEqual([]);
  });
});

describe('emailRecipient', () => {
  it('sends each kind to the audience the contract names', () => {
    expect(emailRecipient).toEqual({
      ACTIVATION: Recipient.CUSTOMER,
      REMINDER: Recipient.CUSTOMER,
      EXPIRING_PARTNER: Recipient.PARTNER,
      ACTIVATED_PARTNER: Recipient.PARTNER,
      ACTIVATED_USER: Recipient.USERS,
      DECLINED_PARTNER: Recipient.PARTNER,
      CANCELLED_CUSTOMER: Recipient.CUSTOMER,
      EXPIRED_CUSTOMER: Recipient.CUSTOMER,
      EXPIRED_PARTNER: Recipient.PARTNER,
      FAILED_PARTNER: Recipient.PARTNER,
    });
  });
});

describe("the partner's decline e-mail", () => {
  const reason = 'We already have an account <b>& "more"</b>\r\nBcc: victim@evil.example';

  it.each(LOCALES)("quotes the customer's reason, escaped, in both parts (%s)", (locale) => {
    const { text, html } = renderEmail(EmailKind.DECLINED_PARTNER, {
      ...benignEmailData,
      locale,
      declineReason: reason,
    });
    const heading = locale === 'en' ? "The customer's reason" : 'De reden van de klant';
    expect(text).toContain(heading);
    expect(text).toContain('We already have an account <b>& "more"</b>');
    expect(html).toContain('We already have an account &lt;b&gt;&amp; &quot;more&quot;&lt;/b&gt;');
    expect(html).not.toContain('<b>&');
  });

  it('has no reason block when the customer gave none', () => {
    const { text } = renderEmail(EmailKind.DECLINED_PARTNER, {
      ...benignEmailData,
      declineReason: null,
    });
    expect(text).not.toContain("The customer's reason");
  });
});
