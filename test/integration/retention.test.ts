import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '../../local/stack.ts';
import { scanTable } from '../hardening/support.ts';
import { createPending, decide } from '../support/customer.ts';
import {
  type PartnerClient,
  partnerClient,
  startTestStack,
  validRequest,
  waitFor,
} from '../support/local-stack.ts';

/**
 * Retention on the local stack: dynalite has no TTL, so the sweep deletes a closed request,
 * its timeline and its domain lock once RETENTION_DAYS have passed since it closed. Two
 * seconds here instead of 400 days.
 */
const RETENTION_SECONDS = 2;

let stack: RunningStack;
let partner: PartnerClient;

beforeAll(async () => {
  stack = await startTestStack({ retentionDays: RETENTION_SECONDS / 86_400 });
  partner = partnerClient(stack, stack.partnerKeys[0]);
});

afterAll(async () => {
  await stack?.stop();
});

const itemsOf = async (requestId: string, domain: string) =>
  (await scanTable(stack)).filter(
    (item) =>
      String(item.PK) === `REQUEST#${requestId}` ||
      String(item.PK) === `DOMAIN#${domain}` ||
      item.requestId === requestId,
  );

interface Counts {
  readonly PENDING_ACTIVATION: number;
  readonly CANCELLED: number;
}
/** Waits for Settle to date the deletion, then until that date has passed. */
const untilRetentionEnds = async (requestId: string, accountDomain: string) => {
  const settled = await waitFor(
    async () =>
      (await itemsOf(requestId, accountDomain)).find(
        (item) => item.SK === 'REQUEST' && typeof item.retainUntil === 'string',
      ),
    'the deletion to be dated',
  );
  const wait = Date.parse(String(settled.retainUntil)) - Date.now() + 200;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
};

const counts = async (): Promise<Counts> =>
  (await partner.call('GET', '/v1/smart-account-requests/counts')).body as Counts;

describe('retention', () => {
  it('deletes a closed request with its timeline and domain lock once its retention ends, and counts it no more', async () => {
    const created = await partner.create(validRequest());
    expect(created.status).toBe(202);
    const { id, accountDomain } = created.body as { id: string; accountDomain: string };
    await waitFor(async () => (await counts()).PENDING_ACTIVATION >= 1, 'the request counted');
    const before = await counts();
    expect((await partner.cancel(id)).status).toBe(200);
    await waitFor(
      async () => (await counts()).CANCELLED === before.CANCELLED + 1,
      'the close counted',
    );
    const timeline = await partner.call('GET', `/v1/smart-account-requests/${id}/events`);
    expect(timeline.body.items.length).toBeGreaterThanOrEqual(2);

    // Within its retention a sweep keeps everything.
    await stack.sweep();
    expect((await partner.get(id)).status).toBe(200);

    await untilRetentionEnds(id, accountDomain);
    await stack.sweep();

    expect((await partner.get(id)).status).toBe(404);
    expect((await partner.call('GET', `/v1/smart-account-requests/${id}/events`)).status).toBe(404);
    const listed = await partner.list(`?accountDomain=${accountDomain}`);
    expect(listed.body.items).toEqual([]);
    expect(await itemsOf(id, accountDomain)).toEqual([]);
    expect(await counts()).toEqual({
      ...before,
      PENDING_ACTIVATION: before.PENDING_ACTIVATION - 1,
    });
  });

  it('deletes an activated request too, but its domain stays taken', async () => {
    const pending = await createPending(stack, partner);
    const { id } = pending;
    const { accountDomain } = pending.resource as { accountDomain: string };
    expect((await decide(pending, 'activate')).status).toBe(200);
    await waitFor(
      async () =>
        (await partner.get(id)).body.status === 'ACTIVE' &&
        (await itemsOf(id, accountDomain)).some((item) => item.notifiedStatus === 'ACTIVE'),
      'the activation settled',
    );

    await untilRetentionEnds(id, accountDomain);
    await stack.sweep();

    expect((await partner.get(id)).status).toBe(404);
    const again = await partner.create(validRequest({ accountDomain }));
    expect(again.status).toBe(409);
    const left = await itemsOf(id, accountDomain);
    expect(left).toEqual([
      expect.objectContaining({
        PK: `DOMAIN#${accountDomain}`,
        requestId: id,
        activatedAt: expect.any(String),
      }),
    ]);
    // Nothing personal stays with it.
    expect(Object.keys(left[0] ?? {}).sort()).toEqual([
      'PK',
      'SK',
      'activatedAt',
      'entity',
      'lockedAt',
      'requestId',
    ]);
  });

  it('never deletes a pending request, however old', async () => {
    const created = await partner.create(validRequest());
    const { id } = created.body as { id: string };
    await new Promise((resolve) => setTimeout(resolve, RETENTION_SECONDS * 1000 + 200));

    await stack.sweep({ everything: true });

    expect((await partner.get(id)).body).toMatchObject({ status: 'PENDING_ACTIVATION' });
  });
});
