import { describe, expect, it } from 'vitest';
import { LIST_FILTER_SETTINGS } from '../../../bench/list-filters.ts';
import {
  createdAtOf,
  evenlySpread,
  expiresBeforeFor,
  PROBE_DOMAIN,
  type SeedSpec,
  seededRequest,
  seedStatuses,
  statusCounts,
} from '../../../bench/list-seed.ts';
import { requestItem } from '../../../functions/adapters/request-items.ts';
import { filterKeys, keys } from '../../../functions/adapters/table-keys.ts';
import { matchesFilter } from '../../../functions/domain/request-filters.ts';
import { RequestStatus } from '../../../functions/shared/status.ts';

const NOW = new Date('2026-12-02T12:00:00.000Z');
const spec: SeedSpec = {
  ...LIST_FILTER_SETTINGS.partner,
  partnerId: 'local-partner-1',
  partnerName: 'Local Partner 1',
};

describe('evenlySpread', () => {
  it('puts one index in the middle of each equal stretch', () => {
    expect([...evenlySpread(10, 50_000)]).toEqual([
      2_500, 7_500, 12_500, 17_500, 22_500, 27_500, 32_500, 37_500, 42_500, 47_500,
    ]);
    expect([...evenlySpread(3, 3)]).toEqual([0, 1, 2]);
  });

  it('refuses more indices than there are', () => {
    expect(() => evenlySpread(4, 3)).toThrow('Cannot spread 4 over 3');
  });
});

describe('seedStatuses', () => {
  it('seeds the measured partner with 10 CANCELLED among 50,000, a few hundred other closed ones and the rest pending', () => {
    const statuses = seedStatuses(spec);
    expect(statuses).toHaveLength(50_000);
    expect(statusCounts(statuses)).toEqual({
      [RequestStatus.PENDING_ACTIVATION]: 49_686,
      [RequestStatus.CANCELLED]: 10,
      [RequestStatus.ACTIVE]: 200,
      [RequestStatus.DECLINED]: 104,
    });
  });

  it('spreads the CANCELLED ones evenly through time', () => {
    const cancelled = seedStatuses(spec).flatMap((status, index) =>
      status === RequestStatus.CANCELLED ? [index] : [],
    );
    const gaps = cancelled.slice(1).map((index, i) => index - (cancelled[i] as number));
    expect(new Set(gaps)).toEqual(new Set([5_000]));
  });

  it('gives the probe domain one live request, the newest, and declined ones before it', () => {
    const statuses = seedStatuses(spec);
    const probe = [...evenlySpread(spec.probeDomainRequests, spec.requests)];
    expect(probe.map((index) => statuses[index])).toEqual([
      RequestStatus.DECLINED,
      RequestStatus.DECLINED,
      RequestStatus.DECLINED,
      RequestStatus.DECLINED,
      RequestStatus.PENDING_ACTIVATION,
    ]);
  });
});

describe('seededRequest', () => {
  it('creates the requests one after the other over the span, the newest just before now', () => {
    const first = createdAtOf(spec, 0, NOW).getTime();
    const last = createdAtOf(spec, spec.requests - 1, NOW).getTime();
    expect(first).toBe(NOW.getTime() - 20 * 86_400_000);
    expect(last).toBeLessThan(NOW.getTime());
    expect(last).toBeGreaterThan(NOW.getTime() - 60_000);
  });

  it('makes a pending request as one waiting for its customer, due for nothing within the span', () => {
    const request = seededRequest(spec, 0, RequestStatus.PENDING_ACTIVATION, 'sar_A', NOW);
    expect(request).toMatchObject({
      id: 'sar_A',
      partnerId: 'local-partner-1',
      status: RequestStatus.PENDING_ACTIVATION,
      accountDomain: 'p1-customer-0.bench.example',
      customerEmail: 'it@p1-customer-0.bench.example',
      executionAttempt: 1,
      closedAt: null,
    });
    expect(request.taskToken).toHaveLength(64);
    expect(request.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(request.expiresAt) - Date.parse(request.createdAt)).toBe(90 * 86_400_000);
    // The oldest request's first reminder is still ahead: the sweep has nothing due.
    expect(Date.parse(request.sweepAt as string)).toBeGreaterThan(NOW.getTime());
    expect(request.wakeAt).toBe(request.nextReminderAt);
  });

  it('makes a closed request as closed by the domain and settled: out of the sweep, nothing to publish', () => {
    const request = seededRequest(spec, 2_500, RequestStatus.CANCELLED, 'sar_C', NOW);
    expect(request).toMatchObject({
      status: RequestStatus.CANCELLED,
      closeReason: 'CancelledByPartner',
      notifiedStatus: RequestStatus.CANCELLED,
    });
    expect(request.history.map((change) => change.status)).toEqual([
      RequestStatus.PENDING_ACTIVATION,
      RequestStatus.CANCELLED,
    ]);
    expect(Date.parse(request.closedAt as string)).toBeLessThan(NOW.getTime());
    expect(request.sweepAt).toBeUndefined();
    expect(request.pendingEvents).toBeUndefined();
    const active = seededRequest(spec, 249, RequestStatus.ACTIVE, 'sar_D', NOW);
    expect(active.activatedAt).not.toBeNull();
  });

  it('is stored with the filter keys of its partner, status and domain', () => {
    const item = requestItem(seededRequest(spec, 5_000, RequestStatus.DECLINED, 'sar_P', NOW));
    expect(item).toMatchObject({
      ...keys.request('sar_P'),
      GSI1PK: keys.partnerRequestsIndex('local-partner-1'),
      statusKey: filterKeys.status('local-partner-1', RequestStatus.DECLINED),
      domainKey: filterKeys.accountDomain('local-partner-1', PROBE_DOMAIN),
    });
    expect(item).not.toHaveProperty('sweepShard');
  });
});

describe('expiresBeforeFor', () => {
  it('is a time exactly the given number of pending requests expire before', () => {
    const smaller = { ...spec, requests: 5_000 };
    const statuses = seedStatuses(smaller);
    const before = expiresBeforeFor(smaller, statuses, 5, NOW);
    const expiring = statuses.filter(
      (status, index) =>
        status === RequestStatus.PENDING_ACTIVATION &&
        matchesFilter(seededRequest(smaller, index, status, `sar_${index}`, NOW), {
          status: RequestStatus.PENDING_ACTIVATION,
          expiresBefore: before,
        }),
    );
    expect(expiring).toHaveLength(5);
  });

  it('refuses a count the pending requests cannot reach', () => {
    const small = { ...spec, requests: 3, cancelled: 1, probeDomainRequests: 1 };
    expect(() => expiresBeforeFor(small, seedStatuses(small), 3, NOW)).toThrow(
      'Fewer than 4 pending requests',
    );
  });
});
