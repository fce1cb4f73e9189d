import type { EmailData } from '../../../functions/messages/emails.ts';

export const ACTIVATION_URL = 'https://sar.example/activate/q1w2e3r4t5y6u7i8o9p0aA';

/** Ordinary, well-behaved request data. */
export const benignEmailData: EmailData & {
  activationUrl: string;
  failureReason: string;
  daysLeft: number;
} = {
  locale: 'en',
  accountName: 'Acme BV',
  accountDomain: 'acme.example',
  customerEmail: 'it@acme.example',
  partnerName: 'Reseller One',
  noteToCustomer: 'Hello,\nplease activate this so we can order your licences.',
  noteToUsers: 'Welcome aboard.',
  userEmails: ['a@acme.example', 'b@acme.example'],
  expiresAt: '2027-02-23T10:00:00.000Z',
  activationUrl: ACTIVATION_URL,
  failureReason: 'Bounce:Permanent:General',
  daysLeft: 7,
  requestId: 'sar_01JDX5Q6ZKQ4W8Y7T2R9M3N1PB',
};

export const SCRIPT = '<script>alert(1)</script>';
export const ATTRIBUTE_BREAKOUT = '"><img src=x onerror=alert(1)>';
/** A line a hostile note could use to pass for our own link. */
export const FAKE_LINK_LINE = 'Activate here: https://evil.example/activate/x';

/** Every user-supplied field carries markup, quotes and header-like line breaks. */
export const hostileEmailData: typeof benignEmailData = {
  ...benignEmailData,
  accountName: `${SCRIPT}\r\nBcc: victim@evil.example`,
  accountDomain: ATTRIBUTE_BREAKOUT,
  customerEmail: "it'@acme.example\r\nX-Injected: yes",
  partnerName: `O'Brien & "Partners" ${ATTRIBUTE_BREAKOUT}\nX-Injected: yes`,
  noteToCustomer: `</blockquote>${SCRIPT}\r\n${FAKE_LINK_LINE}\r\n-- \nSupport`,
  noteToUsers: `</blockquote>${SCRIPT}\r\n${FAKE_LINK_LINE}`,
  userEmails: [`${SCRIPT}@acme.example`, 'ok@acme.example'],
  failureReason: `Bounce\r\n${SCRIPT}`,
  requestId: 'sar_01\r\nBcc: x',
};

/** Opening tag names in a document (escaped text such as `&lt;script` does not count). */
export function tagNames(markup: string): Set<string> {
  return new Set(
    Array.from(
      markup.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)/g),
      (match) => match[1]?.toLowerCase() ?? '',
    ),
  );
}

/** Every http(s) address anywhere in the text. */
export function urlsIn(text: string): string[] {
  return Array.from(text.matchAll(/https?:\/\/[^\s"'<>]+/g), (match) => match[0]);
}

/**
 * Tags that carry an event-handler attribute, e.g. `<img onerror=...>`. Quoted attribute values
 * are skipped: escaped text such as `value="&quot; onerror=..."` is data, not an attribute.
 */
export function eventHandlerTags(markup: string): string[] {
  return Array.from(markup.matchAll(/<[a-zA-Z][^>]*>/g), (match) => match[0]).filter((tag) =>
    /\son[a-z]+\s*=/i.test(tag.replace(/"[^"]*"|'[^']*'/g, '""')),
  );
}
