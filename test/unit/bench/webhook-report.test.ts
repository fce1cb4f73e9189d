import { describe, expect, it } from 'vitest';
import { deliveryLogText, webhookBudgetInput } from '../../../bench/report.ts';
import type { ReceiverResult, WebhookResult } from '../../../bench/webhook-delivery.ts';

const receiver = (
  role: ReceiverResult['role'],
  p99: number | null,
  overrides: Partial<ReceiverResult['arrivals']> = {},
): ReceiverResult => ({
  role,
  answers: '',
  arrivals: {
    posts: 1000,
    distinctIds: 1000,
    repeats: 0,
    missing: 0,
    latencyMs: p99 === null ? null : { p50: p99 / 2, p99, max: p99 },
    ...overrides,
  },
  log: { total: 1000, byStatus: { succeeded: 1000 }, byAttempts: { 1: 1000 } },
  signatures: { checked: 20, verified: 20 },
});

const result = (alone: ReceiverResult, beside: readonly ReceiverResult[]): WebhookResult => {
  const run = (
    name: WebhookResult['runs'][number]['name'],
    receivers: readonly ReceiverResult[],
  ) => ({
    name,
    produced: { seconds: 100, created: 1000 },
    drained: true,
    endedSeconds: 0,
    rounds: [],
    receivers,
  });
  return {
    settings: {
      events: 1000,
      rounds: 2,
      concurrency: 8,
      ratePerSecond: 10,
      slowAnswerMs: 5000,
      retrySeconds: [1, 1],
      signatureSample: 10,
      drainSeconds: 60,
    },
    runs: [run('alone', [alone]), run('beside slow and failing', beside)],
  };
};

describe('webhookBudgetInput', () => {
  it('compares the healthy receiver of both setups, whichever position it has', () => {
    const input = webhookBudgetInput(
      result(receiver('healthy', 100), [
        receiver('slow', 900),
        receiver('failing', 950, { posts: 3000, repeats: 2000 }),
        receiver('healthy', 130, { repeats: 1 }),
      ]),
    );
    // The failing receiver's retries are not the healthy one's duplicates.
    expect(input).toEqual({
      aloneP99Ms: 100,
      besideP99Ms: 130,
      events: 1000,
      missing: 0,
      duplicates: 1,
      signaturesChecked: 80,
      signaturesVerified: 80,
    });
  });

  it('has no p99 for a healthy receiver that got nothing', () => {
    const input = webhookBudgetInput(
      result(receiver('healthy', 100), [receiver('healthy', null, { missing: 1000 })]),
    );
    expect(input.besideP99Ms).toBe(Number.POSITIVE_INFINITY);
    expect(input.missing).toBe(1000);
  });
});

describe('deliveryLogText', () => {
  it('says the statuses and, when all took as many, the attempts once', () => {
    expect(
      deliveryLogText({ total: 1000, byStatus: { failed: 1000 }, byAttempts: { 3: 1000 } }),
    ).toBe('1000 failed; 3 attempts each');
    expect(
      deliveryLogText({
        total: 10,
        byStatus: { succeeded: 9, pending: 1 },
        byAttempts: { 1: 9, 2: 1 },
      }),
    ).toBe('9 succeeded, 1 pending; attempts 1: 9, 2: 1');
    expect(deliveryLogText({ total: 0, byStatus: {}, byAttempts: {} })).toBe('none');
  });
});
