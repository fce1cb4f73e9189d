import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '../../local/stack.ts';
import { createPending, decide, headingOf, type Pending } from '../support/customer.ts';
import {
  executionStatus,
  mailTo,
  type PartnerClient,
  partnerClient,
  sleep,
  startTestStack,
  validRequest,
  waitFor,
} from '../support/local-stack.ts';
import {
  executionNames,
  mailsAbout,
  PARTNER_ONE,
  scanTable,
  stateEnteredAt,
  statesEntered,
} from './support.ts';

/**
 * Races have one winner: the conditional write `PENDING_ACTIVATION -> X`. Whoever loses sees
 * the winner, and only the winner's e-mails go out. The activation wait here is 4 s so the
 * expiry timer can take part.
 */

const TIMEOUT_SECONDS = 4;
const raced = { activations: 0, creates: 0, threeWay: 0 };
const winners: Record<string, number> = {};

let stack: RunningStack;
let partner: PartnerClient;

beforeAll(async () => {
  stack = await startTestStack({ activationTimeoutSeconds: TIMEOUT_SECONDS });
  partner = partnerClient(stack, stack.partnerKeys[0]);
});

afterAll(async () => {
  console.info(
    `[hardening] races run: ${JSON.stringify(raced)}, three-way winners: ${JSON.stringify(winners)}`,
  );
  await stack?.stop();
});

const settledStatus = async (pending: Pending): Promise<string> => {
  await waitFor(
    async () => (await executionStatus(stack, pending.id)) !== 'RUNNING',
    `the execution of ${pending.id} to end`,
    (TIMEOUT_SECONDS + 10) * 1000,
  );
  return (await partner.get(pending.id)).body.status;
};

const OUTCOME_MAILS: Record<string, (pending: Pending) => string[]> = {
  ACTIVE: (pending) => [
    `${PARTNER_ONE}: activated`,
    ...(pending.body.userEmails as string[]).map((user) => `${user}: access`),
  ],
  DECLINED: () => [`${PARTNER_ONE}: declined`],
  CANCELLED: (pending) => [`${pending.body.customerEmail}: withdrawn`],
  EXPIRED: (pending) => [`${pending.body.customerEmail}: expired`, `${PARTNER_ONE}: expired`],
};

const FINAL_STATE: Record<string, string> = {
  ACTIVE: 'Activated',
  DECLINED: 'Declined',
  CANCELLED: 'Cancelled',
  EXPIRED: 'Expired',
};

/** The execution, the history and the mailbox all tell the one outcome `status`. */
const expectOnly = async (pending: Pending, status: string) => {
  expect(await executionStatus(stack, pending.id)).toBe('SUCCEEDED');
  expect(statesEntered(stack, pending.id).at(-1)).toBe(FINAL_STATE[status]);
  const resource = (await partner.get(pending.id)).body;
  expect(resource.history.map((change: { status: string }) => change.status)).toEqual([
    'PENDING_ACTIVATION',
    status,
  ]);
  await sleep(50);
  expect(await mailsAbout(stack, pending.body.accountDomain)).toEqual(
    [
      `${pending.body.customerEmail}: activation`,
      ...(OUTCOME_MAILS[status]?.(pending) ?? []),
    ].sort(),
  );
};

describe('concurrent decisions', () => {
  it('30 concurrent activation POSTs: one activates, 29 are told it already happened, one confirmation', async () => {
    const pending = await createPending(stack, partner);
    const pages = await Promise.all(Array.from({ length: 30 }, () => decide(pending, 'activate')));
    raced.activations += pages.length;
    expect(pages.map((page) => page.status)).toEqual(Array(30).fill(200));
    const headings = pages.map((page) => headingOf(page.html));
    expect(headings.filter((heading) => heading === 'Smart Account activated')).toHaveLength(1);
    expect(headings.filter((heading) => heading === 'Already activated')).toHaveLength(29);
    expect(await settledStatus(pending)).toBe('ACTIVE');
    await expectOnly(pending, 'ACTIVE');
  });

  it('15 activations against 15 declines: one decision wins and every page names that winner', async () => {
    const pending = await createPending(stack, partner);
    const pages = await Promise.all(
      Array.from({ length: 30 }, (_, i) => decide(pending, i % 2 ? 'decline' : 'activate')),
    );
    raced.activations += pages.length;
    const status = await settledStatus(pending);
    const [won, already] =
      status === 'ACTIVE'
        ? ['Smart Account activated', 'Already activated']
        : ['Request declined', 'Already declined'];
    const headings = pages.map((page) => headingOf(page.html));
    expect(headings.filter((heading) => heading === won)).toHaveLength(1);
    expect(headings.filter((heading) => heading === already)).toHaveLength(29);
    await expectOnly(pending, status);
  });
});

describe('concurrent creates for one domain', () => {
  const createTenAtOnce = async (body: ReturnType<typeof validRequest>) => {
    const responses = await Promise.all(Array.from({ length: 10 }, () => partner.create(body)));
    raced.creates += responses.length;
    expect(responses.map((response) => response.status).sort()).toEqual([
      202,
      ...Array(9).fill(409),
    ]);
    const winner = responses.find((response) => response.status === 202)?.body.id as string;
    await waitFor(
      async () => (await mailTo(stack, body.customerEmail)).length > 0,
      'activation mail',
    );
    await sleep(100);
    const live = (await scanTable(stack)).filter(
      (item) =>
        item.entity === 'REQUEST' &&
        item.accountDomain === body.accountDomain &&
        item.status === 'PENDING_ACTIVATION',
    );
    expect(live.map((item) => item.id)).toEqual([winner]);
    expect(executionNames(stack).filter((name) => live.some((item) => item.id === name))).toEqual([
      winner,
    ]);
    return winner;
  };

  it('10 concurrent creates for a fresh domain: one 202, nine 409, one request and one execution', async () => {
    const body = validRequest();
    await createTenAtOnce(body);
    expect(await mailsAbout(stack, body.accountDomain)).toEqual([
      `${body.customerEmail}: activation`,
    ]);
  });

  it("10 concurrent creates taking over a cancelled request's domain: still exactly one winner", async () => {
    const previous = await createPending(stack, partner);
    expect((await partner.cancel(previous.id)).status).toBe(200);
    const body = { ...validRequest(), accountDomain: previous.body.accountDomain };
    body.customerEmail = `new-customer@${previous.body.accountDomain}`;
    const winner = await createTenAtOnce(body);
    expect(winner).not.toBe(previous.id);
  });
});

describe('activate vs cancel vs expiry', () => {
  /**
   * Each round aims the customer's activation and the partner's cancel at the moment its
   * wait times out, a little before or after, so that each of the three can win.
   */
  it('each of 12 rounds ends in one status, the answers agree with it, and only its e-mails go out', async () => {
    const rounds = [-300, -60, -20, 0, 20, 80].flatMap((offset) => [
      { offset, first: 'activate' },
      { offset, first: 'cancel' },
    ]);
    await Promise.all(
      rounds.map(async ({ offset, first }) => {
        const pending = await createPending(stack, partner);
        const firesAt =
          stateEnteredAt(stack, pending.id, 'WaitForActivation') + TIMEOUT_SECONDS * 1000;
        await sleep(Math.max(0, firesAt + offset - Date.now()));
        // The one named first gets a 15 ms head start; the timer fires at offset 0.
        const lead = (who: string) => sleep(first === who ? 0 : 15);
        const [page, cancel] = await Promise.all([
          lead('activate').then(() => decide(pending, 'activate')),
          lead('cancel').then(() => partner.cancel(pending.id)),
        ]);
        raced.threeWay += 1;
        const status = await settledStatus(pending);
        winners[status] = (winners[status] ?? 0) + 1;
        expect(['ACTIVE', 'CANCELLED', 'EXPIRED']).toContain(status);
        expect(cancel.status).toBe(status === 'CANCELLED' ? 200 : 409);
        const heading = headingOf(page.html);
        if (status === 'ACTIVE') expect(heading).toBe('Smart Account activated');
        if (status === 'CANCELLED') expect(heading).toBe('Request withdrawn');
        if (status === 'EXPIRED') expect([page.status, heading]).toEqual([410, 'Request expired']);
        await expectOnly(pending, status);
      }),
    );
  });
});

describe('counts after the races', () => {
  const STATUSES = ['PENDING_ACTIVATION', 'ACTIVE', 'DECLINED', 'CANCELLED', 'EXPIRED', 'FAILED'];
  const listedPerStatus = async () => {
    const listed: Record<string, number> = {};
    for (const status of STATUSES) {
      let cursor: string | null = null;
      listed[status] = 0;
      do {
        const page = await partner.list(
          `?status=${status}&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
        );
        listed[status] += page.body.items.length;
        cursor = page.body.nextCursor;
      } while (cursor);
    }
    return listed;
  };

  it('counts every request of the races once, under the status it ended in', async () => {
    const agreed = await waitFor(
      async () => {
        const [counts, listed] = await Promise.all([
          partner.call('GET', '/v1/smart-account-requests/counts'),
          listedPerStatus(),
        ]);
        return JSON.stringify(counts.body) === JSON.stringify(listed) && listed;
      },
      'the counts to agree with the lists',
      (TIMEOUT_SECONDS + 10) * 1000,
    );
    const total = Object.values(agreed).reduce((sum, n) => sum + n, 0);
    expect(total).toBe(
      (await scanTable(stack)).filter(
        (item) => item.SK === 'REQUEST' && item.partnerId === 'local-partner-1',
      ).length,
    );
  });
});
