import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '../../local/stack.ts';
import {
  type PartnerClient,
  partnerClient,
  startTestStack,
  validRequest,
} from '../support/local-stack.ts';

/** `POST …/batch`: each item created or refused on its own, in order, as a single create would. */

let stack: RunningStack;
let partner: PartnerClient;

beforeAll(async () => {
  stack = await startTestStack();
  partner = partnerClient(stack, stack.partnerKeys[0]);
});

afterAll(async () => {
  await stack?.stop();
});

const batch = (body: unknown, query = '', headers?: Record<string, string>) =>
  partner.call('POST', `/v1/smart-account-requests/batch${query}`, { body, headers });

describe.concurrent('batch create', () => {
  it('creates the good items and refuses the bad ones, each with what a single create answers', async () => {
    const first = validRequest();
    const again = { ...validRequest(), accountDomain: first.accountDomain.toUpperCase() };
    const answer = await batch({
      items: [first, { ...validRequest(), customerEmail: 'nope' }, again, validRequest()],
    });

    expect(answer.status).toBe(200);
    const items = answer.body.items as {
      index: number;
      status: number;
      request?: { id: string };
      problem?: { errorId: string; errors?: { path: string }[] };
    }[];
    expect(items.map((item) => [item.index, item.status])).toEqual([
      [0, 202],
      [1, 400],
      [2, 409],
      [3, 202],
    ]);
    expect(items[1]?.problem?.errors?.map((error) => error.path)).toEqual(['customerEmail']);
    expect(items[2]?.problem?.errorId).toMatch(/^err_/);
    for (const index of [0, 3]) {
      const id = items[index]?.request?.id as string;
      expect((await partner.get(id)).body.status).toBe('PENDING_ACTIVATION');
    }
  });

  it('reviews every item with dryRun=true and writes nothing', async () => {
    const reviewed = validRequest();
    const body = { items: [reviewed, { accountName: '' }] };
    const answer = await batch(body, '?dryRun=true');
    expect(answer.body.items.map((item: { status: number }) => item.status)).toEqual([200, 400]);
    expect(answer.body.items[0].request.id).toBeNull();
    const listed = (await partner.list('?limit=100')).body.items as { accountDomain: string }[];
    expect(listed.some((item) => item.accountDomain === reviewed.accountDomain)).toBe(false);
  });

  it('replays the whole answer for the same Idempotency-Key, and creates nothing twice', async () => {
    const body = { items: [validRequest(), validRequest()] };
    const key = { 'Idempotency-Key': `batch-${process.pid}-${Date.now()}` };
    const first = await batch(body, '', key);
    const replay = await batch(body, '', key);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((await batch({ items: [validRequest()] }, '', key)).status).toBe(422);
  });

  it('refuses an envelope without 1-100 items, a non-JSON body and a body over 1 MiB', async () => {
    expect((await batch({ items: [] })).status).toBe(400);
    expect((await batch({ items: Array.from({ length: 101 }, () => validRequest()) })).status).toBe(
      400,
    );
    expect((await batch({ items: [validRequest()], extra: 1 })).status).toBe(400);
    expect((await batch([validRequest()])).status).toBe(400);
    const huge = await partner.call('POST', '/v1/smart-account-requests/batch', {
      rawBody: JSON.stringify({ items: [{ noteToCustomer: 'x'.repeat(1_100_000) }] }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(huge.status).toBe(413);
    const text = await partner.call('POST', '/v1/smart-account-requests/batch', {
      rawBody: 'items',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(text.status).toBe(415);
  });
});
