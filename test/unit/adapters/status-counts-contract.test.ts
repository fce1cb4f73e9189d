import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoRequestStore } from '../../../functions/adapters/dynamo-request-store.ts';
import { DynamoStatusCounts } from '../../../functions/adapters/dynamo-status-counts.ts';
import type { RequestStore } from '../../../functions/domain/ports.ts';
import type { SmartAccountRequest } from '../../../functions/domain/smart-account-request.ts';
import {
  countRequest,
  FORGOTTEN,
  forgetChangeOf,
  type StatusCounter,
} from '../../../functions/domain/status-counts.ts';
import { newRequestId } from '../../../functions/shared/crypto.ts';
import type { RequestStatus } from '../../../functions/shared/status.ts';
import { type DynaliteTable, startDynaliteTable } from '../../support/dynalite-table.ts';
import { InMemoryStatusCounts } from '../../support/in-memory-counts.ts';
import { aRequest, InMemoryRequestStore } from '../../support/in-memory-stores.ts';

/**
 * The counters' contract on the fake the domain tests use and on dynalite, so the fake keeps
 * DynamoDB's behaviour: exact under repeats and crashes between the steps.
 */

let table: DynaliteTable | undefined;

beforeAll(async () => {
  table = await startDynaliteTable();
});

afterAll(async () => {
  await table?.stop();
});

interface Backend {
  readonly requests: RequestStore;
  readonly counts: StatusCounter;
  /** What the default confirmation writes, for a test that crashes right after it. */
  readonly setCounted: (requestId: string, status: RequestStatus) => Promise<void>;
}

const backends: [string, () => Backend][] = [
  [
    'the in-memory fake',
    () => {
      const requests = new InMemoryRequestStore();
      return {
        requests,
        counts: new InMemoryStatusCounts(requests),
        setCounted: async (requestId, status) => {
          const request = requests.requests.get(requestId);
          if (request) requests.requests.set(requestId, { ...request, countedStatus: status });
        },
      };
    },
  ],
  [
    'DynamoDB (dynalite)',
    () => {
      if (!table) throw new Error('dynalite did not start');
      const documents = table.documents;
      const tableName = table.tableName;
      return {
        requests: new DynamoRequestStore(documents, tableName),
        counts: new DynamoStatusCounts(documents, tableName),
        setCounted: async (requestId, status) => {
          await documents.send(
            new UpdateCommand({
              TableName: tableName,
              Key: { PK: `REQUEST#${requestId}`, SK: 'REQUEST' },
              UpdateExpression: 'SET countedStatus = :status',
              ExpressionAttributeValues: { ':status': status },
            }),
          );
        },
      };
    },
  ],
];

let sequence = 0;
const newPartner = () => `counted-${process.pid}-${++sequence}`;

describe.each(backends)('the status counters on %s', (_name, open) => {
  let requests: RequestStore;
  let counts: StatusCounter;
  let setCounted: Backend['setCounted'];

  beforeAll(() => {
    ({ requests, counts, setCounted } = open());
  });

  const stored = async (partnerId: string, overrides: Partial<SmartAccountRequest> = {}) => {
    const request = aRequest({
      id: newRequestId(),
      partnerId,
      accountDomain: `${newRequestId().toLowerCase()}.example`,
      ...overrides,
    });
    await requests.insert(request);
    return request;
  };
  const reread = async (request: SmartAccountRequest) =>
    (await requests.get(request.id)) as SmartAccountRequest;

  it('reads every status as 0 for a partner with no requests', async () => {
    expect(await counts.read(newPartner())).toEqual({
      PENDING_ACTIVATION: 0,
      ACTIVE: 0,
      DECLINED: 0,
      CANCELLED: 0,
      EXPIRED: 0,
      FAILED: 0,
    });
  });

  it('counts a new request once, however often its execution reads it', async () => {
    const partnerId = newPartner();
    const request = await stored(partnerId);

    await countRequest(counts, request);
    await countRequest(counts, await reread(request));
    await countRequest(counts, await reread(request));

    expect((await reread(request)).countedStatus).toBe('PENDING_ACTIVATION');

    expect(await counts.read(partnerId)).toMatchObject({ PENDING_ACTIVATION: 1 });
  });

  it('moves a closed request from pending to its outcome', async () => {
    const partnerId = newPartner();
    const first = await stored(partnerId);
    const second = await stored(partnerId);
    await countRequest(counts, first);
    await countRequest(counts, second);

    await requests.close(first.id, 'CANCELLED', { partnerId });
    await countRequest(counts, await reread(first));

    expect(await counts.read(partnerId)).toMatchObject({ PENDING_ACTIVATION: 1, CANCELLED: 1 });
  });

  it('counts a request closed before its execution began straight under its outcome', async () => {
    const partnerId = newPartner();
    const request = await stored(partnerId);
    await requests.close(request.id, 'FAILED', {});

    await countRequest(counts, await reread(request));

    expect(await counts.read(partnerId)).toMatchObject({ PENDING_ACTIVATION: 0, FAILED: 1 });
  });

  it('stays exact when the actor crashes after the counter and tries again', async () => {
    const partnerId = newPartner();
    const request = await stored(partnerId);
    const crash = new Error('the Lambda timed out');

    await expect(
      counts.apply(partnerId, request.id, { to: 'PENDING_ACTIVATION' }, () =>
        Promise.reject(crash),
      ),
    ).rejects.toBe(crash);
    // The retry reads the request again: still uncounted.
    await countRequest(counts, await reread(request));
    await countRequest(counts, await reread(request));

    expect(await counts.read(partnerId)).toMatchObject({ PENDING_ACTIVATION: 1 });
  });

  it('finishes an unconfirmed first count when the request closed before its retry', async () => {
    const partnerId = newPartner();
    const request = await stored(partnerId);
    const crash = new Error('throttled');
    // The first Wake counted it as pending but crashed before the request confirmed it.
    await expect(
      counts.apply(partnerId, request.id, { to: 'PENDING_ACTIVATION' }, () =>
        Promise.reject(crash),
      ),
    ).rejects.toBe(crash);
    await requests.close(request.id, 'CANCELLED', { partnerId });

    // The retry (or Settle) reads it cancelled and never counted.
    await countRequest(counts, await reread(request));
    await countRequest(counts, await reread(request));

    expect(await counts.read(partnerId)).toMatchObject({ PENDING_ACTIVATION: 0, CANCELLED: 1 });
    expect((await reread(request)).countedStatus).toBe('CANCELLED');
  });

  it('clears a marker a crash left after the request confirmed, at the next change', async () => {
    const partnerId = newPartner();
    const request = await stored(partnerId);
    // Confirmed, then crashed before the marker was removed.
    const crash = new Error('the Lambda timed out');
    await expect(
      counts.apply(partnerId, request.id, { to: 'PENDING_ACTIVATION' }, async () => {
        await setCounted(request.id, 'PENDING_ACTIVATION');
        throw crash;
      }),
    ).rejects.toBe(crash);
    expect(await counts.read(partnerId)).toMatchObject({ PENDING_ACTIVATION: 1 });
    await requests.close(request.id, 'EXPIRED', {});

    await countRequest(counts, await reread(request));

    expect(await counts.read(partnerId)).toMatchObject({ PENDING_ACTIVATION: 0, EXPIRED: 1 });
  });

  it('takes a deleted request out of its status, once, even when the deletion is retried', async () => {
    const partnerId = newPartner();
    const request = await stored(partnerId, { status: 'EXPIRED' });
    await countRequest(counts, request);
    const counted = await reread(request);
    const change = forgetChangeOf(counted);
    expect(change).toEqual({ from: 'EXPIRED', to: FORGOTTEN });
    const crash = new Error('connection reset');

    await expect(
      counts.apply(partnerId, request.id, change ?? { to: FORGOTTEN }, () => Promise.reject(crash)),
    ).rejects.toBe(crash);
    await counts.apply(partnerId, request.id, change ?? { to: FORGOTTEN }, async () => {});

    expect(await counts.read(partnerId)).toMatchObject({ EXPIRED: 0 });
  });

  it("keeps each partner's counters apart", async () => {
    const mine = newPartner();
    const theirs = newPartner();
    await countRequest(counts, await stored(mine));

    expect(await counts.read(theirs)).toMatchObject({ PENDING_ACTIVATION: 0 });
    expect(await counts.read(mine)).toMatchObject({ PENDING_ACTIVATION: 1 });
  });
});
