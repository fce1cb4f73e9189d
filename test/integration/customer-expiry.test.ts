import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '../../local/stack.ts';
import {
  createPending,
  decide,
  fetchPage,
  type PageResponse,
  type Pending,
} from '../support/customer.ts';
import {
  describeExecution,
  type PartnerClient,
  partnerClient,
  sleep,
  startTestStack,
  statusBecomes,
} from '../support/local-stack.ts';
import { executionEnded, expectPageHeaders, mailbox, PARTNER_EMAIL } from './customer-support.ts';

/** The expiry timer (a 2 s activation timeout here instead of 90 days) and races with it. */
const TIMEOUT_SECONDS = 2;

let stack: RunningStack;
let partner: PartnerClient;

beforeAll(async () => {
  stack = await startTestStack({ activationTimeoutSeconds: TIMEOUT_SECONDS });
  partner = partnerClient(stack, stack.partnerKeys[0]);
});

afterAll(async () => {
  await stack?.stop();
});

describe.concurrent('when the customer does not answer', () => {
  it('expires the request and tells the customer and the partner once each', async () => {
    const request = await createPending(stack, partner);

    const expired = await statusBecomes(partner, request.id, 'EXPIRED', 10_000);

    expect(Date.parse(expired.closedAt)).toBeGreaterThanOrEqual(
      Date.parse(request.resource.expiresAt) - 500,
    );
    expect(expired.activatedAt).toBeNull();
    expect(await executionEnded(stack, request.id)).toBe('SUCCEEDED');
    await sleep(200);
    const mails = await mailbox(stack, request.id);
    expect(mails[request.customerEmail]).toEqual([
      expect.stringMatching(/^Please activate/),
      expect.stringMatching(/^Smart Account request expired: /),
    ]);
    expect(mails[PARTNER_EMAIL]).toEqual([
      expect.stringMatching(/^Smart Account request expired: /),
    ]);
    for (const user of request.userEmails) expect(mails[user]).toBeUndefined();
  });

  it('shows a 410 page on the link afterwards and ignores a late activation', async () => {
    const request = await createPending(stack, partner);
    await statusBecomes(partner, request.id, 'EXPIRED', 10_000);
    await executionEnded(stack, request.id);

    const shown = await fetchPage(request.link);
    const late = await decide(request, 'activate');

    for (const page of [shown, late]) {
      expect(page.status).toBe(410);
      expectPageHeaders(page);
      expect(page.html).toContain('Request expired');
    }
    await sleep(200);
    expect((await partner.get(request.id)).body.status).toBe('EXPIRED');
    expect((await mailbox(stack, request.id))[PARTNER_EMAIL]).toHaveLength(1);
  });

  it('lets the partner request the same domain again after it expired', async () => {
    const request = await createPending(stack, partner);
    const again = () =>
      partner.create({
        accountName: 'Acme BV',
        accountDomain: request.resource.accountDomain,
        customerEmail: request.customerEmail,
      });
    expect((await again()).status).toBe(409);

    await statusBecomes(partner, request.id, 'EXPIRED', 10_000);
    const second = await again();

    expect(second.status).toBe(202);
    expect(second.body.id).not.toBe(request.id);
    expect(second.body.status).toBe('PENDING_ACTIVATION');
  });
});

/** What the customer's page said, the final status, and who was mailed about the request. */
interface RaceResult {
  readonly page: PageResponse;
  readonly status: string;
  readonly execution: string;
  readonly mails: Record<string, string[]>;
  readonly request: Pending;
}

const activateAt = async (request: Pending, at: number): Promise<RaceResult> => {
  await sleep(at - Date.now());
  const page = await decide(request, 'activate');
  const execution = await executionEnded(stack, request.id);
  await sleep(300);
  return {
    page,
    status: (await partner.get(request.id)).body.status,
    execution,
    mails: await mailbox(stack, request.id),
    request,
  };
};

/** When the execution's timer fires: the wait state was entered, plus the timeout. */
const deadlineOf = async (request: Pending): Promise<number> => {
  const execution = await describeExecution(stack, request.id);
  const { events } = stack.stepFunctions.getExecutionHistory({
    executionArn: execution.executionArn,
  });
  const entered = events.find(
    (event) =>
      event.type === 'TaskStateEntered' &&
      event.stateEnteredEventDetails?.name === 'WaitForActivation',
  );
  if (!entered) throw new Error(`${request.id} never started waiting`);
  return entered.timestamp * 1000 + TIMEOUT_SECONDS * 1000;
};

describe('when the activation arrives as the request expires', () => {
  it('ends every race with exactly one outcome and only that outcome’s e-mails', async () => {
    // Activations fired from well before to well after each execution's timer, most of them
    // where the page's write and the timer land within milliseconds of each other (an
    // activation takes ~20-40 ms here), so some activations win the write after the timer fired.
    const offsetsMs = [-300, -60, -50, -45, -40, -35, -30, -25, -20, -10, 0, 300];
    const requests = await Promise.all(offsetsMs.map(() => createPending(stack, partner)));
    const deadlines = await Promise.all(requests.map(deadlineOf));

    const results = await Promise.all(
      requests.map((request, i) => activateAt(request, (deadlines[i] ?? 0) + (offsetsMs[i] ?? 0))),
    );

    for (const { page, status, execution, mails, request } of results) {
      const partnerMails = mails[PARTNER_EMAIL] ?? [];
      const customerMails = mails[request.customerEmail] ?? [];
      expect(execution).toBe('SUCCEEDED');
      if (status === 'ACTIVE') {
        expect(page.status).toBe(200);
        expect(page.html).toMatch(/Smart Account activated|Already activated/);
        expect(partnerMails).toEqual([expect.stringMatching(/^Smart Account activated/)]);
        for (const user of request.userEmails) expect(mails[user]).toHaveLength(1);
        expect(customerMails).toHaveLength(1);
      } else {
        expect(status).toBe('EXPIRED');
        expect(page.status).toBe(410);
        expect(partnerMails).toEqual([expect.stringMatching(/^Smart Account request expired/)]);
        for (const user of request.userEmails) expect(mails[user]).toBeUndefined();
        expect(customerMails).toHaveLength(2);
      }
    }
    // The early activation beats the timer and the late one loses to it.
    expect(results[0]?.status).toBe('ACTIVE');
    expect(results.at(-1)?.status).toBe('EXPIRED');
  });
});

describe('extending a pending request', () => {
  const extend = (id: string, body: unknown) =>
    partner.call('POST', `/v1/smart-account-requests/${id}/extend`, { body });
  const later = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

  it('does not expire at the old time, and expires at the new one without a signal', async () => {
    const request = await createPending(stack, partner);
    const oldExpiry = request.resource.expiresAt as string;
    const newExpiry = later(oldExpiry, 3_000);

    const extended = await extend(request.id, { expiresAt: newExpiry });
    expect(extended.status).toBe(200);
    expect(extended.body).toMatchObject({ status: 'PENDING_ACTIVATION', expiresAt: newExpiry });

    await sleep(Date.parse(oldExpiry) + 1_500 - Date.now());
    expect((await partner.get(request.id)).body.status).toBe('PENDING_ACTIVATION');
    const expired = await statusBecomes(partner, request.id, 'EXPIRED', 10_000);
    expect(Date.parse(expired.closedAt)).toBeGreaterThanOrEqual(Date.parse(newExpiry));
    expect(await executionEnded(stack, request.id)).toBe('SUCCEEDED');
    // One execution did it all: it woke at the old time, read the new date and waited again.
    const mails = await mailbox(stack, request.id);
    expect(mails[request.customerEmail]).toEqual([
      expect.stringMatching(/^Please activate/),
      expect.stringMatching(/^Smart Account request expired: /),
    ]);
  });

  it('refuses an earlier date, one past 364 days, other fields; 404 for another partner; 409 once closed', async () => {
    const request = await createPending(stack, partner);
    const { createdAt, expiresAt } = request.resource as { createdAt: string; expiresAt: string };
    const fieldError = async (body: unknown) => (await extend(request.id, body)).body.errors;

    expect(await fieldError({ expiresAt })).toEqual([
      { path: 'expiresAt', message: expect.stringMatching(/^Must be later than the current/) },
    ]);
    expect(await fieldError({ expiresAt: later(createdAt, 364 * 86_400_000 + 1) })).toEqual([
      { path: 'expiresAt', message: expect.stringMatching(/^At most 364 days after createdAt/) },
    ]);
    expect(
      (await extend(request.id, { expiresAt: later(createdAt, 364 * 86_400_000) })).status,
    ).toBe(200);
    expect((await extend(request.id, { expiresAt: 'tomorrow' })).status).toBe(400);
    expect(await fieldError({ expiresAt: later(expiresAt, 60_000), status: 'ACTIVE' })).toEqual([
      expect.objectContaining({ path: 'status' }),
    ]);
    const other = partnerClient(stack, stack.partnerKeys[1]);
    const stranger = await other.call('POST', `/v1/smart-account-requests/${request.id}/extend`, {
      body: { expiresAt: later(createdAt, 86_400_000) },
    });
    expect(stranger.status).toBe(404);

    await partner.cancel(request.id);
    expect((await extend(request.id, { expiresAt: later(createdAt, 2 * 86_400_000) })).status).toBe(
      409,
    );
  });

  it('against the expiry: either the extension or the expiry wins, never both', async () => {
    const requests = await Promise.all([-60, -20, 0, 20].map(() => createPending(stack, partner)));
    const offsets = [-60, -20, 0, 20];
    const results = await Promise.all(
      requests.map(async (request, i) => {
        const oldExpiry = Date.parse(request.resource.expiresAt);
        await sleep(oldExpiry + (offsets[i] ?? 0) - Date.now());
        const answer = await extend(request.id, {
          expiresAt: new Date(oldExpiry + 60_000).toISOString(),
        });
        await sleep(Math.max(0, oldExpiry + 1_500 - Date.now()));
        return { answer, status: (await partner.get(request.id)).body.status };
      }),
    );
    for (const { answer, status } of results) {
      if (answer.status === 200) expect(status).toBe('PENDING_ACTIVATION');
      else {
        expect(answer.status).toBe(409);
        expect(status).toBe('EXPIRED');
      }
    }
    // Well before the old expiry the extension always wins.
    expect(results[0]?.answer.status).toBe(200);
    for (const request of requests) await partner.cancel(request.id);
  });

  it('against a cancel: the cancel always stands, and the withdrawal goes out once', async () => {
    const request = await createPending(stack, partner);
    const [extended, cancelled] = await Promise.all([
      extend(request.id, { expiresAt: later(request.resource.expiresAt, 60_000) }),
      partner.cancel(request.id),
    ]);
    expect([200, 409]).toContain(extended.status);
    expect(cancelled.status).toBe(200);
    expect(await executionEnded(stack, request.id)).toBe('SUCCEEDED');
    await sleep(200);
    const mails = await mailbox(stack, request.id);
    expect(mails[request.customerEmail]).toEqual([
      expect.stringMatching(/^Please activate/),
      expect.stringMatching(/withdrawn/i),
    ]);
    expect((await partner.get(request.id)).body.status).toBe('CANCELLED');
  });
});
