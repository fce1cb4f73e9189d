import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SesMailer } from '../../../functions/adapters/ses-mailer.ts';
import { ActivationMail } from '../../../functions/domain/activation-mail.ts';
import { RequestCorrections } from '../../../functions/domain/correction.ts';
import { Notifications } from '../../../functions/domain/notifications.ts';
import { ReminderMail } from '../../../functions/domain/reminder-mail.ts';
import { wakeRequest } from '../../../functions/domain/schedule.ts';
import { sha256 } from '../../../functions/shared/crypto.ts';
import { NotFound, NotPending } from '../../../functions/shared/errors.ts';
import {
  aRequest,
  InMemoryPartnerStore,
  InMemoryRequestStore,
  PARTNER,
} from '../../support/in-memory-stores.ts';

const sesClient = new SESv2Client({ region: 'us-east-1' });
const ses = mockClient(sesClient);

const DAY_MS = 86_400_000;
const OFFSETS = [30 * 86_400, 7 * 86_400];
const EXPIRES_AT = '2027-02-23T10:00:00.000Z';
const at = (daysBeforeExpiry: number) =>
  new Date(Date.parse(EXPIRES_AT) - daysBeforeExpiry * DAY_MS);

let store: InMemoryRequestStore;
let mail: ActivationMail;
let reminders: ReminderMail;
let corrections: RequestCorrections;

const sent = () =>
  ses.commandCalls(SendEmailCommand).map((call) => ({
    to: call.args[0].input.Destination?.ToAddresses?.[0],
    subject: call.args[0].input.Content?.Simple?.Subject?.Data ?? '',
    text: call.args[0].input.Content?.Simple?.Body?.Text?.Data ?? '',
  }));

/** A request whose activation e-mail went out and whose next reminder is 30 days before expiry. */
const waiting = async (overrides = {}) => {
  const request = aRequest({
    id: `sar_${Math.random().toString(36).slice(2)}`,
    expiresAt: EXPIRES_AT,
    codeNonce: 'nonce-1',
    activationSentAt: at(60).toISOString(),
    remindersSent: 0,
    nextReminderAt: at(30).toISOString(),
    ...overrides,
  });
  const link = await mail.linkOf(request);
  store.put({ ...request, codeHash: sha256(new URL(link).pathname.split('/').pop() as string) });
  return { request, link };
};

const wake = (id: string, now: Date) =>
  wakeRequest(store, (request, when) => reminders.remind(request, when).then(() => {}), id, now);

beforeEach(() => {
  ses.reset();
  ses.on(SendEmailCommand).resolves({ MessageId: 'message-1' });
  store = new InMemoryRequestStore();
  const notifications = new Notifications(new SesMailer(sesClient, 'no-reply@accounts.example'));
  mail = new ActivationMail(store, notifications, {
    secret: async () => 'test-secret',
    publicBaseUrl: () => 'https://sar.example',
  });
  reminders = new ReminderMail(
    store,
    new InMemoryPartnerStore(),
    notifications,
    (request) => mail.linkOf(request),
    OFFSETS,
  );
  corrections = new RequestCorrections(store, mail);
});

describe('reminding the customer', () => {
  it('mails the same link with the days left, counts it and plans the next reminder', async () => {
    const { request, link } = await waiting();

    const plan = await wake(request.id, at(30));

    expect(sent()).toHaveLength(1);
    expect(sent()[0]).toMatchObject({ to: 'it@acme.example' });
    expect(sent()[0]?.subject).toMatch(/^Reminder: please activate your Smart Account Acme BV/);
    expect(sent()[0]?.text).toContain('expires in 30 days');
    expect(sent()[0]?.text).toContain(link);
    const after = await store.get(request.id);
    expect(after).toMatchObject({ remindersSent: 1, nextReminderAt: at(7).toISOString() });
    expect(plan).toMatchObject({ action: 'WAIT', wakeAt: at(7).toISOString() });
  });

  it('tells the partner the request expires soon with the last reminder, and then waits for the expiry', async () => {
    const { request } = await waiting({ nextReminderAt: at(7).toISOString(), remindersSent: 1 });

    const plan = await wake(request.id, at(7));

    expect(sent().map((email) => email.to)).toEqual(['it@acme.example', PARTNER.contactEmail]);
    expect(sent()[1]?.subject).toMatch(/^Smart Account request expires soon: Acme BV/);
    expect(await store.get(request.id)).toMatchObject({ remindersSent: 2, nextReminderAt: null });
    expect(plan).toMatchObject({ action: 'WAIT', wakeAt: EXPIRES_AT });
  });

  it('sends nothing twice when the step is retried after the e-mails went out', async () => {
    const { request } = await waiting({ nextReminderAt: at(7).toISOString() });
    const due = (await store.get(request.id)) ?? request;

    await reminders.remind(due, at(7));
    // The retry still sees the reminder as due (the plan write was lost with the reply).
    await reminders.remind(
      { ...due, sentEmails: (await store.get(request.id))?.sentEmails },
      at(7),
    );

    expect(sent()).toHaveLength(2);
    expect((await store.get(request.id))?.remindersSent).toBe(1);
  });

  it('sends one reminder for several overdue ones (a wake long after them) and plans past them', async () => {
    const { request } = await waiting({ nextReminderAt: at(30).toISOString() });

    await wake(request.id, at(5));

    expect(sent()).toHaveLength(2);
    expect(sent()[0]?.text).toContain('expires in 5 days');
    expect((await store.get(request.id))?.nextReminderAt).toBeNull();
  });

  it('reminds no one once the customer decided, even while the reminder was being prepared', async () => {
    const { request } = await waiting();
    const read = (await store.get(request.id)) ?? request;
    await store.close(request.id, 'ACTIVE');

    expect(await reminders.remind(read, at(30))).toBe(false);

    expect(sent()).toEqual([]);
    expect((await store.get(request.id))?.remindersSent).toBe(0);
  });

  it('does not tell the partner "no answer yet" when the customer decided right after the reminder', async () => {
    const { request } = await waiting({ nextReminderAt: at(7).toISOString() });
    ses.on(SendEmailCommand).callsFakeOnce(async () => {
      await store.close(request.id, 'DECLINED');
      return { MessageId: 'message-1' };
    });

    await reminders.remind((await store.get(request.id)) ?? request, at(7));

    expect(sent().map((email) => email.to)).toEqual(['it@acme.example']);
  });

  it('waits for the activation e-mail before reminding of it', async () => {
    const { request } = await waiting({ activationSentAt: undefined });

    await wake(request.id, at(30));

    expect(sent()).toEqual([]);
    expect((await store.get(request.id))?.nextReminderAt).toBe(at(7).toISOString());
  });
});

describe('correcting a request (PATCH)', () => {
  it('mails a new customer address a new link; the old link stops resolving and the old address hears nothing', async () => {
    const { request, link: oldLink } = await waiting();

    const corrected = await corrections.correct(PARTNER.id, request.id, {
      customerEmail: 'right@acme.example',
    });

    expect(sent().map((email) => email.to)).toEqual(['right@acme.example']);
    const newLink = await mail.linkOf(corrected);
    expect(newLink).not.toBe(oldLink);
    expect(sent()[0]?.text).toContain(newLink);
    const code = (url: string) => new URL(url).pathname.split('/').pop() as string;
    expect(await store.findByCodeHash(sha256(code(oldLink)))).toBeUndefined();
    expect((await store.findByCodeHash(sha256(code(newLink))))?.id).toBe(request.id);
    expect(await store.get(request.id)).toMatchObject({
      customerEmail: 'right@acme.example',
      activationSentAt: expect.any(String),
    });
  });

  it('changes notes, users and locale quietly, and writes nothing for values that do not change', async () => {
    const { request } = await waiting();

    const corrected = await corrections.correct(PARTNER.id, request.id, {
      customerEmail: request.customerEmail,
      noteToCustomer: null,
      userEmails: ['c@acme.example'],
      locale: 'nl',
    });

    expect(sent()).toEqual([]);
    expect(corrected).toMatchObject({
      customerEmail: request.customerEmail,
      noteToCustomer: null,
      userEmails: ['c@acme.example'],
      locale: 'nl',
      codeNonce: 'nonce-1',
    });
    store.calls.length = 0;
    await corrections.correct(PARTNER.id, request.id, { locale: 'nl' });
    expect(store.calls.filter((call) => call.startsWith('correct'))).toEqual([]);
  });

  it('leaves the first e-mail to the execution when no link was fixed yet', async () => {
    const request = aRequest({ id: 'sar_unsent' });
    store.put(request);

    await corrections.correct(PARTNER.id, request.id, { customerEmail: 'right@acme.example' });

    expect(sent()).toEqual([]);
    expect((await store.get(request.id))?.customerEmail).toBe('right@acme.example');
  });

  it("answers 404 for another partner's request and 409 for a closed one", async () => {
    const { request } = await waiting();
    await expect(
      corrections.correct('partner-2', request.id, { locale: 'nl' }),
    ).rejects.toBeInstanceOf(NotFound);
    await store.close(request.id, 'CANCELLED');
    await expect(
      corrections.correct(PARTNER.id, request.id, { locale: 'nl' }),
    ).rejects.toBeInstanceOf(NotPending);
  });
});
