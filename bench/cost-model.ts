/**
 * AWS list prices and the per-request cost arithmetic. Pure: unit-tested in test/unit/bench.
 *
 * The prices are us-east-1 list prices as known to the author, NOT fetched from AWS; they are
 * stated for PRICE_DATE. Free tiers and volume discounts are ignored (first paid tier).
 */
export const PRICE_DATE = '2026-11-25';

export interface Price {
  /** US dollars per `per` units. */
  readonly usd: number;
  readonly per: number;
  readonly unit: string;
}

export const PRICES = {
  stateTransition: { usd: 0.025, per: 1_000, unit: 'Step Functions Standard state transitions' },
  lambdaRequest: { usd: 0.2, per: 1_000_000, unit: 'Lambda requests' },
  lambdaArmGbSecond: { usd: 0.0000133334, per: 1, unit: 'Lambda GB-seconds, arm64 (first tier)' },
  dynamoWriteUnit: { usd: 0.625, per: 1_000_000, unit: 'DynamoDB on-demand write request units' },
  dynamoReadUnit: { usd: 0.125, per: 1_000_000, unit: 'DynamoDB on-demand read request units' },
  sesEmail: { usd: 0.1, per: 1_000, unit: 'SES outbound e-mails (per recipient)' },
  apiGatewayRequest: { usd: 3.5, per: 1_000_000, unit: 'API Gateway REST requests (first 333 M)' },
  snsEmail: { usd: 2, per: 100_000, unit: 'SNS e-mail notifications' },
  schedulerInvocation: {
    usd: 1,
    per: 1_000_000,
    unit: 'EventBridge Scheduler invocations (after 14 M free/month)',
  },
} as const satisfies Record<string, Price>;

/** What one request consumes over its whole life, for one outcome. */
export interface RequestUsage {
  readonly stateTransitions: number;
  readonly lambdaInvocations: number;
  /** Sum over the invocations of the billed duration (each rounded up to 1 ms). */
  readonly lambdaBilledMs: number;
  readonly dynamoReadUnits: number;
  readonly dynamoWriteUnits: number;
  /** SES bills per recipient. */
  readonly sesEmails: number;
  readonly snsEmails?: number;
  readonly apiRequests: number;
}

export interface CostBreakdown {
  readonly stepFunctions: number;
  readonly lambda: number;
  readonly dynamodb: number;
  readonly email: number;
  readonly apiGateway: number;
  readonly total: number;
}

const priced = (quantity: number, price: Price): number => (quantity * price.usd) / price.per;

/** Lambda bills every invocation's duration rounded up to the next millisecond. */
export const billedMs = (durationsMs: readonly number[]): number =>
  durationsMs.reduce((sum, ms) => sum + Math.max(1, Math.ceil(ms)), 0);

export const gbSeconds = (billedMilliseconds: number, memoryMb: number): number =>
  (billedMilliseconds / 1000) * (memoryMb / 1024);

/** US dollars for `requests` requests with this usage each. */
export const costOf = (usage: RequestUsage, memoryMb: number, requests = 1_000): CostBreakdown => {
  const per = (quantity: number, price: Price) => priced(quantity * requests, price);
  const stepFunctions = per(usage.stateTransitions, PRICES.stateTransition);
  const lambda =
    per(usage.lambdaInvocations, PRICES.lambdaRequest) +
    per(gbSeconds(usage.lambdaBilledMs, memoryMb), PRICES.lambdaArmGbSecond);
  const dynamodb =
    per(usage.dynamoReadUnits, PRICES.dynamoReadUnit) +
    per(usage.dynamoWriteUnits, PRICES.dynamoWriteUnit);
  const email = per(usage.sesEmails, PRICES.sesEmail) + per(usage.snsEmails ?? 0, PRICES.snsEmail);
  const apiGateway = per(usage.apiRequests, PRICES.apiGatewayRequest);
  return {
    stepFunctions,
    lambda,
    dynamodb,
    email,
    apiGateway,
    total: stepFunctions + lambda + dynamodb + email + apiGateway,
  };
};

/**
 * The Step Functions developer guide's "human approval" sample (tutorial-human-approval, its
 * CloudFormation template), counted from its published structure, not run: `Lambda Callback`
 * (lambda:invoke.waitForTaskToken; the Lambda publishes an SNS e-mail whose approve/reject
 * GET links carry the raw task token) → `ManualApprovalChoiceState` → `ApprovedPassState`.
 * The approver's click is one API Gateway request to a Lambda that calls SendTaskSuccess. No
 * table, no expiry handling (the machine's TimeoutSeconds just times the execution out), no
 * notification of anyone else.
 */
export const HUMAN_APPROVAL_SAMPLE = {
  stateTransitions: 3,
  lambdaInvocations: 2,
  apiRequests: 1,
  snsEmails: 1,
} as const;

/** The sample's usage, giving its two Lambdas `msPerInvocation` each (an assumption). */
export const humanApprovalUsage = (msPerInvocation: number): RequestUsage => ({
  stateTransitions: HUMAN_APPROVAL_SAMPLE.stateTransitions,
  lambdaInvocations: HUMAN_APPROVAL_SAMPLE.lambdaInvocations,
  lambdaBilledMs: HUMAN_APPROVAL_SAMPLE.lambdaInvocations * Math.max(1, Math.ceil(msPerInvocation)),
  dynamoReadUnits: 0,
  dynamoWriteUnits: 0,
  sesEmails: 0,
  snsEmails: HUMAN_APPROVAL_SAMPLE.snsEmails,
  apiRequests: HUMAN_APPROVAL_SAMPLE.apiRequests,
});

/**
 * Open Standard executions a steady flow of requests keeps: arrivals per day times the mean
 * number of days an execution stays open (Little's law).
 */
export const openExecutions = (requestsPerDay: number, meanOpenDays: number): number =>
  requestsPerDay * meanOpenDays;

/** The sustained daily intake that keeps `limit` executions open. */
export const sustainableRequestsPerDay = (limit: number, meanOpenDays: number): number =>
  limit / meanOpenDays;
