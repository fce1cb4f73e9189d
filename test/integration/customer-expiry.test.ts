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
