/**
 * Child process of the API-overhead phase: the local stack and, in the same process and
 * against the same dynalite and Step Functions endpoints, the baseline server. The parent
 * generates the load (so the load generator does not share this event loop).
 */
import type { AddressInfo } from 'node:net';
import { type InvocationRecord, observeInvocations } from '../local/lambda-registry.ts';
import { close, LOOPBACK, listen } from '../local/listen.ts';
import { startStack } from '../local/stack.ts';
import { createBaselineServer } from './baseline-server.ts';
import { servePhase } from './phase-process.ts';
import { countCalls, portOf } from './sdk-calls.ts';

export interface ApiStackInfo {
  readonly apiUrl: string;
  readonly baselineUrl: string;
  readonly partnerKey: string;
}

export interface ApiStackSnapshot {
  readonly requests: Record<string, number>;
  readonly calls: Record<string, Record<string, number>>;
  /** Handler time per module, ms, for every invocation since the last reset. */
  readonly invocations: Record<string, number[]>;
}

/** Long enough that no request expires during the run (and within setTimeout's range). */
const ACTIVATION_TIMEOUT_SECONDS = 3600;
const PARTNER_KEY = `sak_bench_${process.pid}_partner_key_for_the_api_phase`;

const stack = await startStack({
  partnerKeys: [PARTNER_KEY],
  activationTimeoutSeconds: ACTIVATION_TIMEOUT_SECONDS,
  logLevel: 'WARN',
});
const baseline = createBaselineServer({
  tableName: stack.tableName,
  stateMachineArn: stack.stateMachineArn,
  // The partner startStack seeds for the first key (docs: local-partner-N, Local Partner N).
  partnerId: 'local-partner-1',
  partnerName: 'Local Partner 1',
  activationTimeoutSeconds: ACTIVATION_TIMEOUT_SECONDS,
});
await listen(baseline, 0);
const baselineUrl = `http://${LOOPBACK}:${(baseline.address() as AddressInfo).port}`;

const counter = countCalls(
  new Map([
    [portOf(stack.apiUrl), 'api'],
    [portOf(baselineUrl), 'baseline'],
  ]),
  new Map([
    [portOf(stack.dynamoUrl), 'DynamoDB'],
    [portOf(stack.stepFunctionsUrl), 'SFN'],
    [portOf(stack.sesUrl), 'SES'],
  ]),
);
let invocations: Record<string, number[]> = {};
observeInvocations((record: InvocationRecord) => {
  const durations = invocations[record.module] ?? [];
  durations.push(record.durationMs);
  invocations[record.module] = durations;
});

/** Every create (API or baseline) starts an execution that mails the customer once. */
const drain = async (timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { requests, calls } = counter.snapshot();
    const created = (requests.api ?? 0) + (requests.baseline ?? 0);
    const mailed = Object.values(calls).reduce(
      (sum, byOperation) =>
        sum +
        Object.entries(byOperation)
          .filter(([operation]) => operation.startsWith('SES.'))
          .reduce((total, [, count]) => total + count, 0),
      0,
    );
    if (mailed >= created) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

servePhase(
  {
    apiUrl: stack.apiUrl,
    baselineUrl,
    partnerKey: PARTNER_KEY,
  } satisfies ApiStackInfo,
  {
    snapshot: (): ApiStackSnapshot => ({ ...counter.snapshot(), invocations }),
    reset: () => {
      counter.reset();
      invocations = {};
    },
    drain: (timeoutMs) => drain(Number(timeoutMs ?? 10_000)),
    /** CPU time of this process (stack, baseline and the workflows they start), ms. */
    cpu: () => {
      const usage = process.cpuUsage();
      return (usage.user + usage.system) / 1000;
    },
  },
  async () => {
    counter.stop();
    await close(baseline);
    await stack.stop();
  },
);
