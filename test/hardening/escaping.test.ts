import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoPartnerStore } from '../../functions/adapters/dynamo-partner-store.ts';
import { issueKey } from '../../functions/domain/api-key-management.ts';
import type { FaultInjector } from '../../local/faults.ts';
import type { RunningStack } from '../../local/stack.ts';
import { createPending, decide, headingOf, type Pending } from '../support/customer.ts';
import {
  executionStatus,
  mailTo,
  type PartnerClient,
  partnerClient,
  type SentMail,
  sentMail,
  startTestStack,
  validRequest,
  waitFor,
} from '../support/local-stack.ts';

/**
 * Hostile text from a partner (its name, the account name, both notes, odd addresses) reaches
 * every e-mail and every page the customer, the partner and the users see. It must arrive as
 * text: escaped in HTML, without bidi tricks, and never as an extra mail header or recipient.
 */

const TIMEOUT_SECONDS = 3;
const EVIL_CONTACT = 'partner-evil@local.example';
const VICTIM = 'victim@evil.example';

const HOSTILE_PARTNER_NAME = `Evil <b>Partner</b> & "Co" 'Ltd' <script>alert(0)</script>\r\nBcc: ${VICTIM}`;
const HOSTILE = {
  accountName: `<script>alert("name")</script> & "Acme" 'BV' <img src=x onerror=alert(1)>`,
  noteToCustomer: `<img src=x onerror=alert(2)>\n<a href="javascript:alert(3)">click</a>\r\nBcc: ${VICTIM}\n{{7*7}} \${7*7} \u202eevil\u202c`,
  noteToUsers: `</td></tr></table><iframe src="//evil.example"></iframe><style>*{display:none}</style>`,
};
/** Markup that must never appear raw in an HTML part or page. */
const RAW_MARKUP = [
  '<script>alert',
  '<img src=x',
  '<iframe',
  '<style>*',
  '<a href="javascript',
  '<b>Partner',
  '</td></tr></table>',
];

let stack: RunningStack;
let faults: FaultInjector;
let evil: PartnerClient;
const pages: { what: string; html: string }[] = [];

beforeAll(async () => {
  stack = await startTestStack({ faults: true, activationTimeoutSeconds: TIMEOUT_SECONDS });
  faults = stack.faults as FaultInjector;
  // A partner is created by an operator (npm run partner); its name is as untrusted as the rest.
  const firstKey = issueKey('ptn_evil', 'First key');
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.dynamoUrl }));
  await new DynamoPartnerStore(documents, stack.tableName).create(
    { id: 'ptn_evil', name: HOSTILE_PARTNER_NAME, contactEmail: EVIL_CONTACT },
    firstKey,
  );
  documents.destroy();
  evil = partnerClient(stack, firstKey.key);
});

afterAll(async () => {
  console.info(`[hardening] escaping faults injected: ${faults?.injected}`);
  await stack?.stop();
});

const hostileRequest = () => {
  const base = validRequest();
  const domain = base.accountDomain;
  return { ...base, ...HOSTILE, userEmails: [`o'reilly@${domain}`, `x+tag@${domain}`] };
};

const page = async (what: string, response: Promise<{ status: number; html: string }>) => {
  const { html } = await response;
  pages.push({ what, html });
  return html;
};

const readPage = (pending: Pending, what: string) =>
  page(
    what,
    fetch(pending.link).then(async (r) => ({ status: r.status, html: await r.text() })),
  );

const settled = (pending: Pending) =>
  waitFor(
    async () => (await executionStatus(stack, pending.id)) !== 'RUNNING',
    'the execution to end',
    (TIMEOUT_SECONDS + 10) * 1000,
  );

describe('hostile text in every e-mail and page', () => {
  it('reaches every outcome as escaped text, in every e-mail kind and on every page', async () => {
    const flows = await Promise.all([
      // Activated (after a resend), then read again.
      (async () => {
        const pending = await createPending(stack, evil, hostileRequest());
        await readPage(pending, 'activation page');
        expect((await evil.resend(pending.id)).status).toBe(202);
        await page('activated page', decide(pending, 'activate'));
        await settled(pending);
        await readPage(pending, 'already activated page');
      })(),
      // Declined.
      (async () => {
        const pending = await createPending(stack, evil, hostileRequest());
        await page('declined page', decide(pending, 'decline'));
        await settled(pending);
        await readPage(pending, 'already declined page');
      })(),
      // Cancelled by the partner.
      (async () => {
        const pending = await createPending(stack, evil, hostileRequest());
        expect((await evil.cancel(pending.id)).status).toBe(200);
        await settled(pending);
        await readPage(pending, 'withdrawn page');
      })(),
      // Expired.
      (async () => {
        const pending = await createPending(stack, evil, hostileRequest());
        await settled(pending);
        await readPage(pending, 'expired page');
      })(),
      // Failed: SES refuses the activation e-mail for good.
      (async () => {
        const body = hostileRequest();
        faults.inject({
          service: 'ses',
          operation: 'SendEmail',
          when: (call) => JSON.stringify(call.Destination ?? {}).includes(body.customerEmail),
          action: { kind: 'error', name: 'MessageRejected' },
        });
        const created = await evil.create(body);
        await settled({ id: created.body.id } as Pending);
        expect((await evil.get(created.body.id)).body.status).toBe('FAILED');
      })(),
    ]);
    expect(flows).toHaveLength(5);

    const mails = (await sentMail(stack)).filter((mail) => mail.subject.includes('alert("name")'));
    const kinds = new Set(mails.map((mail) => kindOf(mail)));
    expect([...kinds].sort()).toEqual(
      ['activation', 'activated', 'access', 'declined', 'withdrawn', 'expired', 'failed'].sort(),
    );
    for (const mail of mails) {
      const what = `${kindOf(mail)} e-mail to ${mail.destination.to.join(',')}`;
      expectEscaped(mail.body.html ?? '', what);
      expect(mail.subject, what).not.toMatch(/[\r\n]/);
      expect(mail.body.text, what).not.toContain('\u202e');
      expect(mail.destination.to, what).not.toContain(VICTIM);
    }
    expect(await mailTo(stack, VICTIM)).toEqual([]);

    expect(pages.map((p) => p.what).sort()).toEqual(
      [
        'activation page',
        'activated page',
        'already activated page',
        'declined page',
        'already declined page',
        'withdrawn page',
        'expired page',
      ].sort(),
    );
    for (const { what, html } of pages) expectEscaped(html, what);
    // The activation page names the partner and quotes the note: both present, both escaped.
    const activationPage = pages.find((p) => p.what === 'activation page')?.html ?? '';
    expect(activationPage).toContain('Evil &lt;b&gt;Partner&lt;/b&gt; &amp; &quot;Co&quot;');
    expect(activationPage).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(headingOf(activationPage)).toBe('Activate your Smart Account');
  });
});

const kindOf = (mail: SentMail): string =>
  (
    [
      [/^Please activate/, 'activation'],
      [/^Smart Account activated/, 'activated'],
      [/^You now have access/, 'access'],
      [/declined/, 'declined'],
      [/withdrawn/, 'withdrawn'],
      [/expired/, 'expired'],
      [/failed/, 'failed'],
    ] as const
  ).find(([pattern]) => pattern.test(mail.subject))?.[1] ?? mail.subject;

const expectEscaped = (html: string, what: string) => {
  for (const markup of RAW_MARKUP)
    expect(html, `${what} carries raw ${markup}`).not.toContain(markup);
  expect(html, `${what} shows the account name escaped`).toContain(
    '&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;',
  );
  expect(html, what).not.toContain('\u202e');
};

describe('no header injection', () => {
  it.each([
    ['accountName', { accountName: 'Acme\r\nBcc: victim@evil.example' }, 'accountName'],
    [
      'accountDomain',
      { accountDomain: 'acme.example\r\nBcc: victim@evil.example' },
      'accountDomain',
    ],
    [
      'customerEmail',
      { customerEmail: 'it@acme.example\r\nBcc: victim@evil.example' },
      'customerEmail',
    ],
    [
      'customerEmail (LF only)',
      { customerEmail: 'it@acme.example\nBcc:victim@evil.example' },
      'customerEmail',
    ],
    [
      'a user e-mail',
      { userEmails: ['a@acme.example\r\nCc: victim@evil.example'] },
      'userEmails.0',
    ],
    ['locale', { locale: 'en\r\nX-Evil: 1' }, 'locale'],
  ])('refuses CR/LF in %s with a 400 naming the field', async (_field, change, path) => {
    const response = await evil.create(validRequest(change));
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ path, message: expect.any(String) }]);
  });

  it('keeps line breaks in notes as text: the e-mail goes to the customer only, with a one-line subject', async () => {
    const body = validRequest({
      noteToCustomer: `Hello\r\nBcc: ${VICTIM}\r\nSubject: free money\r\n\r\n<b>hi</b>`,
      noteToUsers: `Cc: ${VICTIM}\nX-Evil: 1`,
    });
    expect((await evil.create(body)).status).toBe(202);
    const [mail] = await waitFor(async () => {
      const found = await mailTo(stack, body.customerEmail);
      return found.length ? found : undefined;
    }, 'the activation e-mail');
    expect(mail?.destination.to).toEqual([body.customerEmail]);
    expect(mail?.subject).not.toMatch(/[\r\n]|free money/);
    // Every line of the note is quoted, so none can pass for a header or a line of ours.
    expect(mail?.body.text).toContain(`> Bcc: ${VICTIM}`);
    expect(await mailTo(stack, VICTIM)).toEqual([]);
  });
});
