import { describe, expect, it } from 'vitest';
import {
  closedAtOf,
  mayForget,
  type RetainedItems,
  Retention,
  retainUntilOf,
} from '../../../functions/domain/retention.ts';
import type { SmartAccountRequest } from '../../../functions/domain/smart-account-request.ts';
import { countRequest } from '../../../functions/domain/status-counts.ts';
import { InMemoryStatusCounts } from '../../support/in-memory-counts.ts';
import { aRequest, InMemoryRequestStore } from '../../support/in-memory-stores.ts';

const NOW = new Date('2028-01-10T00:00:00.000Z');

/** Records what was deleted, in order; a deletion can be made to fail once. */
class RecordingItems implements RetainedItems {
  readonly deleted: string[] = [];
  failRequestDeletion = false;
  constructor(private readonly requests: InMemoryRequestStore) {}
  async deleteTimeline(requestId: string) {
    this.deleted.push(`timeline ${requestId}`);
  }
  async release(lock: { domain: string; requestId: string }) {
    this.deleted.push(`lock ${lock.domain} ${lock.requestId}`);
  }
  async markAccount(domain: string, requestId: string, activatedAt: string) {
    this.deleted.push(`lock kept ${domain} ${requestId} ${activatedAt}`);
  }
  async deleteCode(codeHash: string, requestId: string) {
    this.deleted.push(`code ${codeHash} ${requestId}`);
  }
  readonly tombstones = new Set<string>();
  async isForgotten(requestId: string) {
    return this.tombstones.has(requestId);
  }
  async markForgotten(requestId: string) {
    this.tombstones.add(requestId);
    this.deleted.push(`tombstone ${requestId}`);
  }
  async deleteRequest(requestId: string) {
    if (this.failRequestDeletion) {
      this.failRequestDeletion = false;
      throw new Error('connection reset');
    }
    this.requests.requests.delete(requestId);
    this.deleted.push(`request ${requestId}`);
  }
}

const settled = (overrides: Partial<SmartAccountRequest> = {}): SmartAccountRequest =>
  aRequest({
    status: 'EXPIRED',
    notifiedStatus: 'EXPIRED',
    closedAt: '2026-12-01T00:00:00.000Z',
    retainUntil: '2028-01-05T00:00:00.000Z',
    codeHash: 'hash-1',
    ...overrides,
  });

const setUp = async (request: SmartAccountRequest) => {
  const requests = new InMemoryRequestStore(request);
  const counts = new InMemoryStatusCounts(requests);
  await countRequest(counts, request);
  const items = new RecordingItems(requests);
  return { requests, counts, items, retention: new Retention(requests, items, counts, items) };
};

describe('when a closed request is deleted', () => {
  it('counts the days from its close: closedAt, or activatedAt for an activation', () => {
    expect(retainUntilOf('2026-12-01T10:00:00.000Z', 400)).toBe('2028-01-05T10:00:00.000Z');
    expect(closedAtOf(settled())).toBe('2026-12-01T00:00:00.000Z');
    expect(
      closedAtOf(
        aRequest({ status: 'ACTIVE', activatedAt: '2026-12-02T00:00:00.000Z', closedAt: null }),
      ),
    ).toBe('2026-12-02T00:00:00.000Z');
  });

  it('deletes only a settled outcome whose date has come', () => {
    expect(mayForget(settled(), NOW)).toBe(true);
    expect(mayForget(settled({ retainUntil: '2028-01-10T00:00:00.001Z' }), NOW)).toBe(false);
    expect(mayForget(settled({ notifiedStatus: undefined }), NOW)).toBe(false);
    expect(mayForget(settled({ retainUntil: undefined }), NOW)).toBe(false);
    expect(
      mayForget(settled({ status: 'PENDING_ACTIVATION', notifiedStatus: undefined }), NOW),
    ).toBe(false);
  });
});

describe('deleting a request whose retention ended (the sweep)', () => {
  it('deletes its timeline, lock and code, then the request, and takes it out of its count', async () => {
    const request = settled();
    const { counts, items, retention } = await setUp(request);
    expect(await counts.read(request.partnerId)).toMatchObject({ EXPIRED: 1 });

    expect(await retention.forget(request.id, NOW)).toBe('forgotten');

    expect(items.deleted).toEqual([
      `timeline ${request.id}`,
      `lock ${request.accountDomain} ${request.id}`,
      `code hash-1 ${request.id}`,
      `request ${request.id}`,
    ]);
    expect(await counts.read(request.partnerId)).toMatchObject({ EXPIRED: 0 });
  });

  it('keeps a request whose date has not come, and answers gone for one deleted already', async () => {
    const request = settled({ retainUntil: '2029-01-01T00:00:00.000Z' });
    const { items, retention } = await setUp(request);

    expect(await retention.forget(request.id, NOW)).toBe('kept');
    expect(await retention.forget('sar_UNKNOWN', NOW)).toBe('gone');
    expect(items.deleted).toEqual([]);
  });

  it('finishes on the next pass after a crash, and the count moves once', async () => {
    const request = settled();
    const { counts, items, retention } = await setUp(request);
    items.failRequestDeletion = true;
    expect(await counts.read(request.partnerId)).toMatchObject({ EXPIRED: 1 });

    await expect(retention.forget(request.id, NOW)).rejects.toThrow('connection reset');
    expect(await retention.forget(request.id, NOW)).toBe('forgotten');

    expect(await counts.read(request.partnerId)).toMatchObject({ EXPIRED: 0 });
    expect(items.deleted.at(-1)).toBe(`request ${request.id}`);
  });
});

describe('deleting an activated request', () => {
  it('deletes the request and its timeline but keeps its domain taken, marked as an account', async () => {
    const request = settled({
      status: 'ACTIVE',
      notifiedStatus: 'ACTIVE',
      closedAt: null,
      activatedAt: '2026-12-01T08:00:00.000Z',
    });
    const { counts, items, retention } = await setUp(request);
    expect(await counts.read(request.partnerId)).toMatchObject({ ACTIVE: 1 });

    expect(await retention.forget(request.id, NOW)).toBe('forgotten');

    expect(items.deleted).toEqual([
      `timeline ${request.id}`,
      `lock kept ${request.accountDomain} ${request.id} 2026-12-01T08:00:00.000Z`,
      `code hash-1 ${request.id}`,
      `request ${request.id}`,
    ]);
    expect(await counts.read(request.partnerId)).toMatchObject({ ACTIVE: 0 });
  });
});

describe('the rest of a request DynamoDB deleted (AWS)', () => {
  it('deletes its timeline, lock and code and takes it out of its count', async () => {
    const request = settled();
    const { counts, items, retention } = await setUp(request);
    const image = { ...request, countedStatus: 'EXPIRED' as const };
    expect(await counts.read(request.partnerId)).toMatchObject({ EXPIRED: 1 });

    await retention.forgetDeleted(image);

    expect(items.deleted).toEqual([
      `timeline ${request.id}`,
      `lock ${request.accountDomain} ${request.id}`,
      `code hash-1 ${request.id}`,
      `tombstone ${request.id}`,
    ]);
    expect(await counts.read(request.partnerId)).toMatchObject({ EXPIRED: 0 });
  });

  it('changes nothing when its stream record comes again after it was done', async () => {
    const first = settled();
    const second = settled({ id: 'sar_SECOND', accountDomain: 'second.example' });
    const { requests, counts, items, retention } = await setUp(first);
    requests.put(second);
    await countRequest(counts, second);
    const images = [first, second].map((request) => ({
      ...request,
      countedStatus: 'EXPIRED' as const,
    }));
    expect(await counts.read(first.partnerId)).toMatchObject({ EXPIRED: 2 });

    // Lambda retries a batch from its first failure on: the second record came again.
    await retention.forgetDeleted(images[1] as SmartAccountRequest);
    await retention.forgetDeleted(images[0] as SmartAccountRequest);
    await retention.forgetDeleted(images[1] as SmartAccountRequest);

    expect(await counts.read(first.partnerId)).toMatchObject({ EXPIRED: 0 });
    expect(items.deleted.filter((entry) => entry.startsWith('timeline'))).toHaveLength(2);
  });
});
