/** What the webhook phase's receivers saw, summed up. Pure: unit-tested in test/unit/bench. */
import { percentile } from './stats.ts';

/** How a receiver answers: at once, after 5 s, or 500 always. */
export const ReceiverRole = {
  HEALTHY: 'healthy',
  SLOW: 'slow',
  FAILING: 'failing',
} as const;
export type ReceiverRole = (typeof ReceiverRole)[keyof typeof ReceiverRole];

/** The delivery log of one endpoint, read through the partner API. */
export interface DeliveryLogCounts {
  readonly total: number;
  readonly byStatus: Readonly<Record<string, number>>;
  /** How many deliveries took each number of attempts. */
  readonly byAttempts: Readonly<Record<string, number>>;
}

/** One POST a receiver got. */
export interface Arrival {
  /** The `webhook-id` header: the event id, the same on every attempt of a delivery. */
  readonly webhookId: string;
  /** Epoch ms when the receiver had the whole body. */
  readonly at: number;
  /** The event's `createdAt` (epoch ms), read from the body. */
  readonly createdAt: number;
}

export interface LatencySummary {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface ArrivalSummary {
  /** Every POST, repeats included. */
  readonly posts: number;
  readonly distinctIds: number;
  /** POSTs beyond the first for an id: retries for a failing receiver, duplicates otherwise. */
  readonly repeats: number;
  /** Events expected and never received. */
  readonly missing: number;
  /** Arrival minus createdAt of each id's first POST, ms; null when nothing arrived. */
  readonly latencyMs: LatencySummary | null;
}

/**
 * Latency counts each event once, at its first arrival: a repeat is the same event again (a
 * retry or a duplicate), counted in `repeats`, not a second sample.
 */
export const summarizeArrivals = (
  arrivals: readonly Arrival[],
  expected: number,
): ArrivalSummary => {
  const first = new Map<string, Arrival>();
  for (const arrival of arrivals) {
    const seen = first.get(arrival.webhookId);
    if (!seen || arrival.at < seen.at) first.set(arrival.webhookId, arrival);
  }
  const latencies = [...first.values()].map((arrival) => arrival.at - arrival.createdAt);
  return {
    posts: arrivals.length,
    distinctIds: first.size,
    repeats: arrivals.length - first.size,
    missing: Math.max(0, expected - first.size),
    latencyMs: latencies.length
      ? {
          p50: percentile(latencies, 50),
          p99: percentile(latencies, 99),
          max: Math.max(...latencies),
        }
      : null,
  };
};

/** `count` items spread evenly over `items`, first and last included (signature checks). */
export const evenSample = <T>(items: readonly T[], count: number): T[] => {
  if (count <= 0 || items.length === 0) return [];
  if (count >= items.length) return [...items];
  if (count === 1) return [items[0] as T];
  return Array.from(
    { length: count },
    (_, i) => items[Math.round((i * (items.length - 1)) / (count - 1))] as T,
  );
};

/** Delivery logs of the same endpoint role in several rounds, as one. */
export const sumLogs = (logs: readonly DeliveryLogCounts[]): DeliveryLogCounts => {
  const add = (into: Record<string, number>, from: Readonly<Record<string, number>>) => {
    for (const [key, n] of Object.entries(from)) into[key] = (into[key] ?? 0) + n;
  };
  const byStatus: Record<string, number> = {};
  const byAttempts: Record<string, number> = {};
  for (const log of logs) {
    add(byStatus, log.byStatus);
    add(byAttempts, log.byAttempts);
  }
  return { total: logs.reduce((sum, log) => sum + log.total, 0), byStatus, byAttempts };
};
