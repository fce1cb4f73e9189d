import { describe, expect, it } from 'vitest';
import { pendingEvent } from '../../../functions/domain/event-outbox.ts';
import { EventPublisher } from '../../../functions/domain/event-publisher.ts';
import type { RequestEvent } from '../../../functions/domain/events.ts';
import { aRequest, InMemoryRequestStore, NOW } from '../../support/in-memory-stores.ts';

const created = pendingEvent('smart_account_request.created', NOW);
const updated = pendingEvent('smart_account_request.updated', NOW);

const publisherOver = (store: InMemoryRequestStore) => {
  const logged: string[] = [];
  const bus: RequestEvent[] = [];
  const fannedOut: string[] = [];
  const publisher = new EventPublisher(
    store,
    { put: async (_requestId, event) => void logged.push(event.id) },
    { put: async (event) => void bus.push(event) },
    async (event) => void fannedOut.push(event.id),
  );
  return { publisher, logged, bus, fannedOut };
};

describe('publishing the outbox', () => {
  it('publishes each pending event to the log, the bus and the webhooks, then clears it', async () => {
    const store = new InMemoryRequestStore(aRequest({ pendingEvents: [created, updated] }));
    const { publisher, logged, bus, fannedOut } = publisherOver(store);

    expect(await publisher.publish('sar_01TEST')).toBe(2);

    expect(logged).toEqual([created.id, updated.id]);
    expect(bus.map((event) => [event.type, event.data.id])).toEqual([
      ['smart_account_request.created', 'sar_01TEST'],
      ['smart_account_request.updated', 'sar_01TEST'],
    ]);
    expect(fannedOut).toEqual([created.id, updated.id]);
    expect((await store.get('sar_01TEST'))?.pendingEvents).toEqual([]);
  });

  it("uses the writer's own result without reading the request back, and leaves a later change's event", async () => {
    const written = aRequest({ pendingEvents: [created] });
    // A later write appended its event after this writer's write returned.
    const store = new InMemoryRequestStore({ ...written, pendingEvents: [created, updated] });
    const { publisher, bus } = publisherOver(store);
    store.calls.length = 0;

    await publisher.publishOrLeaveToSweep(written);

    expect(store.calls.filter((call) => call.startsWith('get'))).toEqual([]);
    expect(bus.map((event) => event.id)).toEqual([created.id]);
    expect((await store.get('sar_01TEST'))?.pendingEvents).toEqual([updated]);
  });
});
