import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '../../local/stack.ts';
import { statesEntered } from '../hardening/support.ts';
import { createPending, decide } from '../support/customer.ts';
import {
  type PartnerClient,
  partnerClient,
  sleep,
  startTestStack,
  statusBecomes,
} from '../support/local-stack.ts';
import { executionEnded, mailbox, mailsAbout, PARTNER_EMAIL } from './customer-support.ts';

/**
 * Reminders on real timers: a 6 s activation timeout with reminders 4 s and 2 s before the
 * expiry (instead of 90 days with reminders 60, 30 and 7 days before).
 */
const TIMEOUT_SECONDS = 6;
const OFFSETS_SECONDS = [4, 2];

let stack: RunningStack;
let partner: PartnerClient;

beforeAll(async () => {
  stack = await startTestStack({
    activationTimeoutSeconds: TIMEOUT_SECONDS,
    reminderOffsetsSeconds: OFFSETS_SECONDS,
  });
  partner = partnerClient(stack, stack.partnerKeys[0]);
});

afterAll(async () => {
  await stack?.stop();
});

const at = (iso: string, offsetSeconds: number) =>
  new Date(Date.parse(iso) - offsetSeconds * 1000).toISOString();

describe.concurrent('reminding a customer who has not answered', () => {
  it('reminds at each offset with the same link, tells the partner with the last, then expires', async () => {
    const request = await createPending(stack, partner);
    const { expiresAt } = request.resource as { expiresAt: string };
    expect(request.resource).toMatchObject({ remindersSent: 0, nextReminderAt: at(expiresAt, 4) });

    await sleep(Date.parse(expiresAt) - 3_000 - Date.now());
    expect((await partner.get(request.id)).body).toMatchObject({
      remindersSent: 1,
      nextReminderAt: at(expiresAt, 2),
    });

    const expired = await statusBecomes(partner, request.id, 'EXPIRED', 10_000);
    expect(expired).toMatchObject({ remindersSent: 2, nextReminderAt: null });
    expect(await executionEnded(stack, request.id)).toBe('SUCCEEDED');
    await sleep(200);
    const mails = await mailbox(stack, request.id);
    expect(mails[request.customerEmail]).toEqual([
      expect.stringMatching(/^Please activate/),
      expect.stringMatching(/^Reminder: please activate/),
      expect.stringMatching(/^Reminder: please activate/),
      expect.stringMatching(/^Smart Account request expired: /),
    ]);
    expect(mails[PARTNER_EMAIL]).toEqual([
      expect.stringMatching(/^Smart Account request expires soon: /),
      expect.stringMatching(/^Smart Account request expired: /),
    ]);
    // Each reminder carries the link the first e-mail did.
    const reminders = (await mailsAbout(stack, request.id, request.customerEmail)).filter((mail) =>
      mail.subject.startsWith('Reminder'),
    );
    for (const reminder of reminders) expect(reminder.body.text).toContain(request.link);
    // A reminder costs three state transitions: Wake, Due and the next wait.
    const withoutReminders = 10;
    expect(statesEntered(stack, request.id)).toHaveLength(withoutReminders + 2 * 3);
  });

  it('sends no reminder once the customer activated', async () => {
    const request = await createPending(stack, partner);
    expect((await decide(request, 'activate')).status).toBe(200);

    await sleep(Date.parse(request.resource.expiresAt) + 500 - Date.now());

    const mails = await mailbox(stack, request.id);
    expect(mails[request.customerEmail]).toEqual([expect.stringMatching(/^Please activate/)]);
    expect(mails[PARTNER_EMAIL]).toEqual([expect.stringMatching(/^Smart Account activated/)]);
    expect((await partner.get(request.id)).body).toMatchObject({
      status: 'ACTIVE',
      remindersSent: 0,
      nextReminderAt: null,
    });
  });

  it('follows an extension: reminders are planned from the new date', async () => {
    const request = await createPending(stack, partner);
    const newExpiry = new Date(Date.parse(request.resource.expiresAt) + 4_000).toISOString();

    const extended = await partner.extend(request.id, newExpiry);

    expect(extended.body).toMatchObject({ expiresAt: newExpiry, nextReminderAt: at(newExpiry, 4) });
    await statusBecomes(partner, request.id, 'EXPIRED', 15_000);
    await sleep(200);
    const reminders = (await mailsAbout(stack, request.id, request.customerEmail)).filter((mail) =>
      mail.subject.startsWith('Reminder'),
    );
    expect(reminders).toHaveLength(2);
    // SES local stamps whole seconds; the first reminder is due 4 s before the new date.
    expect((reminders[0]?.at ?? 0) * 1000).toBeGreaterThanOrEqual(
      Date.parse(at(newExpiry, 4)) - 1_000,
    );
  });

  it('against a decision at the moment a reminder is due: one outcome, and no reminder after it', async () => {
    const requests = await Promise.all(
      [-150, -50, 0, 50, 150].map(() => createPending(stack, partner)),
    );
    const offsets = [-150, -50, 0, 50, 150];
    await Promise.all(
      requests.map(async (request, i) => {
        const due = Date.parse(at(request.resource.expiresAt, 4));
        await sleep(due + (offsets[i] ?? 0) - Date.now());
        expect((await decide(request, 'decline')).status).toBe(200);
      }),
    );
    await sleep(Date.parse(requests.at(-1)?.resource.expiresAt as string) + 1_000 - Date.now());
    for (const request of requests) {
      const final = (await partner.get(request.id)).body;
      expect(final.status).toBe('DECLINED');
      const closedAt = Math.floor(Date.parse(final.closedAt) / 1000);
      const toCustomer = await mailsAbout(stack, request.id, request.customerEmail);
      const reminders = toCustomer.filter((mail) => mail.subject.startsWith('Reminder'));
      expect(reminders.length).toBeLessThanOrEqual(1);
      expect(final.remindersSent).toBe(reminders.length);
      for (const reminder of reminders) expect(reminder.at).toBeLessThanOrEqual(closedAt);
      const mails = await mailbox(stack, request.id);
      expect(mails[PARTNER_EMAIL]).toEqual([expect.stringMatching(/declined/i)]);
    }
  });
});
