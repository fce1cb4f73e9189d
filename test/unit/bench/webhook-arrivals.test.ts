import { describe, expect, it } from 'vitest';
import { evenSample, sumLogs, summarizeArrivals } from '../../../bench/webhook-arrivals.ts';

const arrival = (webhookId: string, createdAt: number, at: number) => ({
  webhookId,
  createdAt,
  at,
});

describe('summarizeArrivals', () => {
  it('takes latency from each event’s first POST and counts the others as repeats', () => {
    const summary = summarizeArrivals(
      [
        arrival('evt_a', 1_000, 1_100),
        arrival('evt_b', 2_000, 2_300),
        // A retry of evt_a, a second later: the same event, not a second sample.
        arrival('evt_a', 1_000, 2_100),
      ],
      2,
    );
    expect(summary).toEqual({
      posts: 3,
      distinctIds: 2,
      repeats: 1,
      missing: 0,
      latencyMs: { p50: 200, p99: 298, max: 300 },
    });
  });

  it('uses the earliest arrival of an id whatever order the POSTs were recorded in', () => {
    const summary = summarizeArrivals([arrival('evt_a', 0, 900), arrival('evt_a', 0, 40)], 1);
    expect(summary.latencyMs).toEqual({ p50: 40, p99: 40, max: 40 });
  });

  it('counts the events that never arrived, and has no latency without arrivals', () => {
    expect(summarizeArrivals([arrival('evt_a', 0, 10)], 3).missing).toBe(2);
    expect(summarizeArrivals([], 5)).toEqual({
      posts: 0,
      distinctIds: 0,
      repeats: 0,
      missing: 5,
      latencyMs: null,
    });
  });
});

describe('evenSample', () => {
  it('spreads the sample over the whole list, first and last included', () => {
    expect(evenSample([0, 1, 2, 3, 4, 5, 6, 7, 8], 3)).toEqual([0, 4, 8]);
  });

  it('is the whole list when it asks for as many or more, and nothing for none', () => {
    expect(evenSample([1, 2], 5)).toEqual([1, 2]);
    expect(evenSample([1, 2], 0)).toEqual([]);
    expect(evenSample([], 3)).toEqual([]);
    expect(evenSample([7, 8, 9], 1)).toEqual([7]);
  });
});

describe('sumLogs', () => {
  it('adds the rounds’ delivery logs status by status and attempt count by attempt count', () => {
    expect(
      sumLogs([
        { total: 3, byStatus: { succeeded: 3 }, byAttempts: { 1: 3 } },
        { total: 2, byStatus: { succeeded: 1, pending: 1 }, byAttempts: { 1: 1, 2: 1 } },
      ]),
    ).toEqual({
      total: 5,
      byStatus: { succeeded: 4, pending: 1 },
      byAttempts: { 1: 4, 2: 1 },
    });
    expect(sumLogs([])).toEqual({ total: 0, byStatus: {}, byAttempts: {} });
  });
});
