import { describe, expect, it } from 'vitest';
import {
  billedMs,
  costOf,
  gbSeconds,
  HUMAN_APPROVAL_SAMPLE,
  humanApprovalUsage,
  openExecutions,
  PRICES,
  type RequestUsage,
  sustainableRequestsPerDay,
} from '../../../bench/cost-model.ts';

const nothing: RequestUsage = {
  stateTransitions: 0,
  lambdaInvocations: 0,
  lambdaBilledMs: 0,
  dynamoReadUnits: 0,
  dynamoWriteUnits: 0,
  sesEmails: 0,
  apiRequests: 0,
};

describe('costOf (per 1,000 requests by default)', () => {
  it('prices state transitions at $0.025 per 1,000', () => {
    const cost = costOf({ ...nothing, stateTransitions: 5 }, 1024);
    expect(cost.stepFunctions).toBeCloseTo(0.125, 10);
    expect(cost.total).toBeCloseTo(0.125, 10);
  });

  it('prices Lambda requests and arm64 GB-seconds', () => {
    // 1,000 requests x 4 invocations = 4,000 invocations; 1,000 x 100 ms at 1 GB = 100 GB-s.
    const cost = costOf({ ...nothing, lambdaInvocations: 4, lambdaBilledMs: 100 }, 1024);
    expect(cost.lambda).toBeCloseTo(4_000 * 0.2e-6 + 100 * PRICES.lambdaArmGbSecond.usd, 12);
  });

  it('prices DynamoDB request units, e-mails per recipient and API requests', () => {
    const cost = costOf(
      { ...nothing, dynamoReadUnits: 8, dynamoWriteUnits: 16, sesEmails: 4, apiRequests: 2 },
      1024,
    );
    expect(cost.dynamodb).toBeCloseTo(8_000 * 0.125e-6 + 16_000 * 0.625e-6, 12);
    expect(cost.email).toBeCloseTo(0.4, 10);
    expect(cost.apiGateway).toBeCloseTo(2_000 * 3.5e-6, 12);
    expect(cost.total).toBeCloseTo(cost.dynamodb + cost.email + cost.apiGateway, 12);
  });

  it('scales with the number of requests', () => {
    const usage = { ...nothing, stateTransitions: 5, sesEmails: 4 };
    expect(costOf(usage, 1024, 1_000_000).total).toBeCloseTo(costOf(usage, 1024).total * 1_000, 6);
  });
});

describe('Lambda billing', () => {
  it('rounds every invocation up to the next millisecond, at least 1 ms', () => {
    expect(billedMs([0.2, 1, 1.01, 99.5])).toBe(1 + 1 + 2 + 100);
    expect(billedMs([])).toBe(0);
  });

  it('turns milliseconds and memory into GB-seconds', () => {
    expect(gbSeconds(1_000, 1024)).toBe(1);
    expect(gbSeconds(500, 512)).toBe(0.25);
  });
});

describe('the human approval sample', () => {
  it('is 3 transitions, 2 invocations, 1 API request and 1 SNS e-mail per approval', () => {
    const usage = humanApprovalUsage(10.2);
    expect(usage.stateTransitions).toBe(HUMAN_APPROVAL_SAMPLE.stateTransitions);
    expect(usage.lambdaInvocations).toBe(2);
    expect(usage.lambdaBilledMs).toBe(22);
    expect(usage.apiRequests).toBe(1);
    expect(costOf(usage, 1024).email).toBeCloseTo(0.02, 10);
  });
});

describe('open executions (Little’s law)', () => {
  it('keeps 1,000,000 open at about 11,111 new requests a day when each waits 90 days', () => {
    expect(sustainableRequestsPerDay(1_000_000, 90)).toBeCloseTo(11_111.1, 1);
    expect(openExecutions(11_000, 90)).toBe(990_000);
  });
});
