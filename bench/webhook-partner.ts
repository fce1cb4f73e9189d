/**
 * The partner side of the webhook phase, in the parent process: adds the endpoints, creates
 * the requests whose `created` events are delivered, and reads the delivery logs, all through
 * the local stack's partner API.
 */
import { benchRequest } from './requests.ts';
import type { DeliveryLogCounts } from './webhook-arrivals.ts';

export interface AddedEndpoint {
  readonly id: string;
  readonly secret: string;
}

export interface Produced {
  /** From the first create sent to the last answer. */
  readonly seconds: number;
  readonly created: number;
}

export interface ProduceOptions {
  readonly count: number;
  /** Creates in flight at most. */
  readonly concurrency: number;
  /**
   * Creates started per second (the i-th at i / rate s), or as fast as `concurrency` allows
   * when absent. A fixed rate offers every setup the same load, whatever each costs.
   */
  readonly ratePerSecond?: number;
}

const SUBSCRIBED = ['smart_account_request.created'];

export const webhookPartner = (apiUrl: string, partnerKey: string) => {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${partnerKey}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, text };
  };
  const expect = (what: string, status: number, got: { status: number; text: string }) => {
    if (got.status !== status) throw new Error(`${what} answered ${got.status}: ${got.text}`);
    return JSON.parse(got.text) as Record<string, unknown>;
  };

  /** In the order given: the fan-out lists a partner's endpoints oldest first. */
  const addEndpoints = async (urls: readonly string[]): Promise<AddedEndpoint[]> => {
    const added: AddedEndpoint[] = [];
    for (const url of urls) {
      const body = expect(
        `Adding ${url}`,
        201,
        await call('POST', '/v1/webhook-endpoints', { url, events: SUBSCRIBED }),
      );
      added.push({ id: String(body.id), secret: String(body.secret) });
    }
    return added;
  };

  const removeEndpoint = async (endpointId: string): Promise<void> => {
    const answer = await call('DELETE', `/v1/webhook-endpoints/${endpointId}`);
    if (answer.status !== 204) throw new Error(`Delete answered ${answer.status}: ${answer.text}`);
  };

  /** Creates requests; each publishes one `created` event. */
  const produce = async ({
    count,
    concurrency,
    ratePerSecond,
  }: ProduceOptions): Promise<Produced> => {
    let next = 0;
    let created = 0;
    const startedAt = performance.now();
    const worker = async () => {
      while (next < count) {
        const index = next;
        next += 1;
        if (ratePerSecond) {
          const dueInMs = startedAt + (index * 1000) / ratePerSecond - performance.now();
          if (dueInMs > 0) await new Promise((resolve) => setTimeout(resolve, dueInMs));
        }
        expect(
          'Create',
          202,
          await call('POST', '/v1/smart-account-requests', benchRequest('webhook')),
        );
        created += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
    return { seconds: (performance.now() - startedAt) / 1000, created };
  };

  /** Every delivery of the endpoint, counted by status and by attempts. */
  const deliveryLog = async (endpointId: string): Promise<DeliveryLogCounts> => {
    const byStatus: Record<string, number> = {};
    const byAttempts: Record<string, number> = {};
    let total = 0;
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = expect(
        'Deliveries',
        200,
        await call('GET', `/v1/webhook-endpoints/${endpointId}/deliveries?limit=100${query}`),
      ) as { items: { status: string; attempts: number }[]; nextCursor: string | null };
      for (const item of page.items) {
        total += 1;
        byStatus[item.status] = (byStatus[item.status] ?? 0) + 1;
        byAttempts[item.attempts] = (byAttempts[item.attempts] ?? 0) + 1;
      }
      cursor = page.nextCursor;
    } while (cursor);
    return { total, byStatus, byAttempts };
  };

  return { addEndpoints, removeEndpoint, produce, deliveryLog };
};
