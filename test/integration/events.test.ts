import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '../../local/stack.ts';
import { createPending, decide } from '../support/customer.ts';
import {
  type PartnerClient,
  partnerClient,
  startTestStack,
  waitFor,
} from '../support/local-stack.ts';
import { executionEnded } from './customer-support.ts';

/** Every change of a request becomes one event: on the bus, and in the request's timeline. */

let stack: RunningStack;
let partner: PartnerClient;

beforeAll(async () => {
  stack = await startTestStack();
  partner = partnerClient(stack, stack.partnerKeys[0]);
});

afterAll(async () => {
  await stack?.stop();
});

interface Published {
  id: string;
  type: string;
  createdAt: string;
  data: { id: string; status: string; locale: string; expiresAt: string };
}

const publishedFor = async (requestId: string): Promise<Published[]> => {
  const response = await fetch(`${stack.apiUrl}/_local/events`);
  const { items } = (await response.json()) as { items: Published[] };
  return items.filter((event) => event.data?.id === requestId);
};

describe.concurrent('events', () => {
  it('publishes each change once, with the resource as it was right after it', async () => {
    const request = await createPending(stack, partner);
    await partner.patch(request.id, { locale: 'nl' });
    const newExpiry = new Date(Date.parse(request.resource.expiresAt) + 86_400_000).toISOString();
    await partner.extend(request.id, newExpiry);
    expect((await decide(request, 'activate')).status).toBe(200);
    expect(await executionEnded(stack, request.id)).toBe('SUCCEEDED');

    const events = await waitFor(async () => {
      const found = await publishedFor(request.id);
      return found.length >= 4 && found;
    }, 'four events');
    expect(events.map((event) => event.type)).toEqual([
      'smart_account_request.created',
      'smart_account_request.updated',
      'smart_account_request.updated',
      'smart_account_request.activated',
    ]);
    expect(new Set(events.map((event) => event.id)).size).toBe(4);
    for (const event of events) expect(event.id).toMatch(/^evt_/);
    expect(events[0]?.data).toMatchObject({ status: 'PENDING_ACTIVATION', locale: 'en' });
    expect(events[1]?.data).toMatchObject({ locale: 'nl' });
    expect(events[2]?.data).toMatchObject({ expiresAt: newExpiry });
    expect(events[3]?.data).toMatchObject({ status: 'ACTIVE' });
    // What the bus got is exactly the event: source and detail-type as EventBridge rules match.
    const entries = stack
      .busEntries()
      .filter((entry) => (entry.detail as Published).data?.id === request.id);
    expect(entries.map((entry) => [entry.source, entry.detailType])).toEqual(
      events.map((event) => ['smart-account-requests', event.type]),
    );
  });

  it("answers the request's timeline, oldest first, with its e-mails masked", async () => {
    const request = await createPending(stack, partner);
    await partner.cancel(request.id);
    expect(await executionEnded(stack, request.id)).toBe('SUCCEEDED');

    const timeline = await waitFor(async () => {
      const answer = await partner.call('GET', `/v1/smart-account-requests/${request.id}/events`);
      const items = answer.body?.items as { type: string; data: Record<string, unknown> }[];
      return items?.some((item) => item.type === 'smart_account_request.cancelled') &&
        items.filter((item) => item.type === 'email.sent').length >= 2
        ? items
        : undefined;
    }, 'the timeline');

    expect(timeline.map((item) => item.type)).toEqual([
      'smart_account_request.created',
      'email.sent',
      'smart_account_request.cancelled',
      'email.sent',
    ]);
    const [, activation, , withdrawal] = timeline;
    expect(activation?.data).toEqual({
      kind: 'activation',
      to: expect.stringMatching(/^i\*\*\*@/),
    });
    expect(withdrawal?.data).toMatchObject({ kind: 'cancelled_customer' });
    // The e-mail entries never carry an address in full; the events carry the resource.
    const emails = timeline.filter((item) => item.type === 'email.sent');
    expect(JSON.stringify(emails)).not.toContain(request.customerEmail);
  });

  it("answers 404 for another partner's timeline and an unknown id", async () => {
    const request = await createPending(stack, partner);
    const other = partnerClient(stack, stack.partnerKeys[1]);
    expect(
      (await other.call('GET', `/v1/smart-account-requests/${request.id}/events`)).status,
    ).toBe(404);
    expect(
      (await partner.call('GET', '/v1/smart-account-requests/sar_unknown/events')).status,
    ).toBe(404);
    await partner.cancel(request.id);
  });
});
