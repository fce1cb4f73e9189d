import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '../../local/stack.ts';
import { createPending, decide, fetchPage } from '../support/customer.ts';
import {
  activationLink,
  type PartnerClient,
  partnerClient,
  sleep,
  startTestStack,
} from '../support/local-stack.ts';
import { executionEnded, mailbox, PARTNER_EMAIL } from './customer-support.ts';

/** PATCH: correcting a pending request, above all a mistyped customer address. */

let stack: RunningStack;
let partner: PartnerClient;

beforeAll(async () => {
  stack = await startTestStack();
  partner = partnerClient(stack, stack.partnerKeys[0]);
});

afterAll(async () => {
  await stack?.stop();
});

describe.concurrent('correcting a pending request', () => {
  it('sends a new link to a new customer address; the old link answers 404 and the old address hears nothing more', async () => {
    const request = await createPending(stack, partner);
    const right = `right@${request.body.accountDomain}`;

    const corrected = await partner.patch(request.id, {
      customerEmail: ` Right@${request.body.accountDomain} `,
    });

    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({ status: 'PENDING_ACTIVATION', customerEmail: right });
    const newLink = await activationLink(stack, right);
    expect(newLink).not.toBe(request.link);
    expect((await fetchPage(request.link)).status).toBe(404);
    expect((await decide(request, 'activate')).status).toBe(404);
    expect((await fetchPage(newLink)).status).toBe(200);

    expect((await partner.resend(request.id)).status).toBe(202);
    await partner.cancel(request.id);
    expect(await executionEnded(stack, request.id)).toBe('SUCCEEDED');
    await sleep(200);
    const mails = await mailbox(stack, request.id);
    // Only the first activation e-mail ever went to the mistyped address.
    expect(mails[request.customerEmail]).toEqual([expect.stringMatching(/^Please activate/)]);
    expect(mails[right]).toEqual([
      expect.stringMatching(/^Please activate/),
      expect.stringMatching(/^Please activate/),
      expect.stringMatching(/withdrawn/i),
    ]);
  });

  it('lets the new address activate, and the partner and users hear the corrected details', async () => {
    const request = await createPending(stack, partner);
    const domain = request.body.accountDomain;
    const users = [`c@${domain}`];
    await partner.patch(request.id, {
      customerEmail: `right@${domain}`,
      userEmails: users,
      noteToUsers: null,
      locale: 'nl',
    });
    const newLink = await activationLink(stack, `right@${domain}`);

    expect((await decide({ link: newLink }, 'activate')).status).toBe(200);

    expect(await executionEnded(stack, request.id)).toBe('SUCCEEDED');
    await sleep(200);
    const mails = await mailbox(stack, request.id);
    expect(mails[`right@${domain}`]).toEqual([expect.stringMatching(/^Activeer uw Smart Account/)]);
    expect(mails[PARTNER_EMAIL]).toEqual([expect.stringMatching(/geactiveerd/i)]);
    expect(mails[`c@${domain}`]).toHaveLength(1);
    for (const dropped of request.userEmails) expect(mails[dropped]).toBeUndefined();
  });

  it('changes notes and locale without an e-mail, keeping the link', async () => {
    const request = await createPending(stack, partner);

    const corrected = await partner.patch(request.id, { noteToCustomer: '', locale: 'nl' });

    expect(corrected.body).toMatchObject({ noteToCustomer: null, locale: 'nl' });
    expect((await fetchPage(request.link)).status).toBe(200);
    expect((await mailbox(stack, request.id))[request.customerEmail]).toHaveLength(1);
    await partner.cancel(request.id);
  });

  it('refuses the account fields, unknown fields, an empty change and bad values, writing nothing', async () => {
    const request = await createPending(stack, partner);
    const refused = async (body: unknown) => {
      const answer = await partner.patch(request.id, body);
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body.errorId).toEqual(expect.any(String));
      return answer.body.errors.map((error: { path: string }) => error.path);
    };

    expect(await refused({ accountName: 'Other BV' })).toEqual(['accountName']);
    expect(await refused({ accountDomain: 'other.example' })).toEqual(['accountDomain']);
    expect(await refused({ status: 'ACTIVE' })).toContain('status');
    expect(await refused({})).toEqual(['(body)']);
    expect(await refused({ customerEmail: 'not-an-email' })).toEqual(['customerEmail']);
    expect(await refused({ noteToCustomer: 'Go to www.evil.example' })).toEqual(['noteToCustomer']);
    expect(await refused({ userEmails: ['a@x.example', 'a@x.example'] })).toEqual(['userEmails.1']);
    expect(await refused({ locale: 'de' })).toEqual(['locale']);

    expect((await partner.get(request.id)).body).toEqual(request.resource);
    await partner.cancel(request.id);
  });

  it("answers 404 for another partner's request and an unknown id, 409 once closed", async () => {
    const request = await createPending(stack, partner);
    const other = partnerClient(stack, stack.partnerKeys[1]);

    expect((await other.patch(request.id, { locale: 'nl' })).status).toBe(404);
    expect((await partner.patch('sar_unknown', { locale: 'nl' })).status).toBe(404);
    await partner.cancel(request.id);
    const late = await partner.patch(request.id, { locale: 'nl' });
    expect(late.status).toBe(409);
    expect((await partner.get(request.id)).body.locale).toBe('en');
  });
});

describe('a correction racing the old link', () => {
  it('each of 8 rounds ends in one outcome: the new customer, or the activation through the old link', async () => {
    const rounds = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const request = await createPending(stack, partner);
        const right = `right@${request.body.accountDomain}`;
        const [corrected, decided] = await Promise.all([
          partner.patch(request.id, { customerEmail: right }),
          decide(request, 'activate'),
        ]);
        return { request, right, corrected, decided };
      }),
    );
    for (const { request, right, corrected, decided } of rounds) {
      const final = (await partner.get(request.id)).body;
      if (final.status === 'ACTIVE') {
        // The old link won: the correction came too late, the old customer activated.
        expect(decided.status).toBe(200);
        expect(corrected.status).toBe(409);
        expect(final.customerEmail).toBe(request.customerEmail);
      } else {
        expect(final.status).toBe('PENDING_ACTIVATION');
        expect(corrected.status).toBe(200);
        expect(decided.status).toBe(404);
        expect(final.customerEmail).toBe(right);
        await partner.cancel(request.id);
      }
    }
    await sleep(300);
    for (const { request, right } of rounds) {
      const final = (await partner.get(request.id)).body;
      const mails = await mailbox(stack, request.id);
      if (final.status === 'ACTIVE') {
        expect(mails[PARTNER_EMAIL]).toEqual([expect.stringMatching(/activated/i)]);
        expect(mails[right]).toBeUndefined();
      } else {
        expect(mails[PARTNER_EMAIL]).toBeUndefined();
        expect(mails[request.customerEmail]).toHaveLength(1);
      }
    }
  });
});
