import type { ApiOverheadResult } from './api-overhead.ts';
import type { BudgetCheck, BudgetInput } from './budgets.ts';
import type { LoadResult } from './cold-start.ts';
import { type CostResult, LAMBDA_MEMORY_MB } from './cost.ts';
import { PRICE_DATE, PRICES } from './cost-model.ts';
import { count, kib, ms, table, times, usd } from './format.ts';
import { type DeliveryLogCounts, ReceiverRole } from './webhook-arrivals.ts';
import type { ReceiverResult, WebhookResult, WebhookRun } from './webhook-delivery.ts';

export interface ColdStartRow {
  readonly name: string;
  readonly bytes: number;
  readonly importMs: number;
  readonly importRatio: number;
  readonly processMs: number;
  readonly processRatio: number;
}

export const coldStartRows = (
  reference: LoadResult,
  handlers: readonly LoadResult[],
): ColdStartRow[] =>
  [reference, ...handlers].map((result) => ({
    name: result.bundle.name,
    bytes: result.bundle.bytes,
    importMs: result.importMs,
    importRatio: result.importMs / reference.importMs,
    processMs: result.processMs,
    processRatio: result.processMs / reference.processMs,
  }));

export const coldStartSection = (
  rows: readonly ColdStartRow[],
  rounds: number,
  source: string,
): string =>
  [
    `1. Cold-start proxy: each bundle imported by ${rounds} fresh \`node --enable-source-maps\` processes, interleaved; medians`,
    `   (bundled like cdk synth: ${source})`,
    table(
      ['bundle', 'KiB', 'import ms', 'ratio', 'process ms', 'ratio'],
      rows.map((row) => [
        row.name,
        kib(row.bytes),
        ms(row.importMs),
        times(row.importRatio),
        ms(row.processMs),
        times(row.processRatio),
      ]),
    ),
  ].join('\n');

const calls = (perRequest: Record<string, number>): string =>
  Object.entries(perRequest)
    .map(([operation, n]) => `${operation} ${count(n)}`)
    .join(', ') || 'none';

export const apiRatio = (result: ApiOverheadResult) => result.api.p50 / result.baseline.p50;

export const apiSection = (result: ApiOverheadResult, rounds: number, perRound: number): string =>
  [
    `2. API overhead: POST /v1/smart-account-requests, autocannon on loopback, ${result.connections} connections, ${rounds} interleaved rounds of ${perRound} per target`,
    table(
      ['target', 'p50 ms', 'p99 ms', 'req/s', 'CPU ms/req', 'failed'],
      [
        ['local stack (gateway + authorizer + handler)', result.api],
        ['bare work (2 conditional puts + StartExecution)', result.baseline],
      ]
        .map(([name, summary]) => {
          const s = summary as ApiOverheadResult['api'];
          return [
            name as string,
            ms(s.p50),
            ms(s.p99),
            ms(s.throughput),
            ms(s.cpuMsPerRequest),
            String(s.failed),
          ];
        })
        .concat([
          [
            'ratio (stack / bare; req/s bare / stack)',
            times(result.api.p50 / result.baseline.p50),
            times(result.api.p99 / result.baseline.p99),
            times(result.baseline.throughput / result.api.throughput),
            times(result.api.cpuMsPerRequest / result.baseline.cpuMsPerRequest),
            '',
          ],
        ]),
    ),
    `   AWS calls per request: stack ${calls(result.callsPerRequest.api)}; bare ${calls(result.callsPerRequest.baseline)}`,
    `   mean handler time: ${Object.entries(result.handlerMs)
      .map(([module, value]) => `${module} ${ms(value)} ms`)
      .join(', ')}${result.drained ? '' : ' (background work had not drained)'}`,
  ].join('\n');

export const costSection = (result: CostResult): string => {
  const rows = result.outcomes.map(({ measurement, usage, per1000 }) => [
    measurement.outcome,
    String(usage.stateTransitions),
    String(usage.lambdaInvocations),
    String(usage.lambdaBilledMs),
    `${usage.dynamoReads} / ${count(usage.dynamoReadUnits)}`,
    `${usage.dynamoWrites} / ${count(usage.dynamoWriteUnits)}`,
    String(usage.sesEmails),
    String(usage.apiRequests),
    usd(per1000.total),
  ]);
  rows.push([
    'human approval sample*',
    '3',
    '2',
    String(2 * Math.ceil(result.sample.msPerInvocation)),
    '0 / 0',
    '0 / 0',
    '1 SNS',
    '1',
    usd(result.sample.per1000.total),
  ]);
  const breakdown = result.outcomes
    .map(
      ({ measurement, per1000 }) =>
        `   ${measurement.outcome.padEnd(9)} SFN ${usd(per1000.stepFunctions)}, Lambda ${usd(per1000.lambda)}, DynamoDB ${usd(per1000.dynamodb)}, SES ${usd(per1000.email)}, API GW ${usd(per1000.apiGateway)}`,
    )
    .join('\n');
  return [
    `3. Per-request cost: one real local execution per outcome (activation timeout ${result.activationTimeoutSeconds} s, reminders ${result.reminderOffsetsSeconds.join(', ')} s before expiry: three, as by default), cost per 1,000 requests`,
    '   reminded: activated after all three reminders; expired: all three reminders, then the expiry.',
    table(
      [
        'outcome',
        'transitions',
        'Lambda inv.',
        'Lambda ms',
        'DDB reads/RRU',
        'DDB writes/WRU',
        'e-mails',
        'API req.',
        '$ / 1,000',
      ],
      rows,
    ),
    '   per 1,000 requests:',
    breakdown,
    `   * counted from the sample's published structure (not run); its 2 Lambdas given our mean measured ${ms(result.sample.msPerInvocation)} ms.`,
    `   Lambda ms: measured local handler time, billed per invocation rounded up to 1 ms, at ${LAMBDA_MEMORY_MB} MB arm64.`,
    `   WRU include GSI1 (request items, projection ALL). Authorizer cached (300 s): 0 invocations here.`,
    `   Prices: us-east-1 list prices as known, not fetched, stated for ${PRICE_DATE}: ${[
      PRICES.stateTransition,
      PRICES.lambdaRequest,
      PRICES.lambdaArmGbSecond,
      PRICES.dynamoWriteUnit,
      PRICES.dynamoReadUnit,
      PRICES.sesEmail,
      PRICES.apiGatewayRequest,
      PRICES.snsEmail,
    ]
      .map((price) => `$${price.usd} per ${price.per.toLocaleString('en-US')} ${price.unit}`)
      .join('; ')}.`,
  ].join('\n');
};

const healthyIn = (run: WebhookRun): ReceiverResult => {
  const healthy = run.receivers.find((receiver) => receiver.role === ReceiverRole.HEALTHY);
  if (!healthy) throw new Error(`No healthy receiver in the ${run.name} run`);
  return healthy;
};

/** What the budgets need of the webhook phase: the healthy receiver in both runs. */
export const webhookBudgetInput = (result: WebhookResult): BudgetInput['webhooks'] => {
  const [alone, beside] = result.runs.map(healthyIn) as [ReceiverResult, ReceiverResult];
  const every = result.runs.flatMap((run) => run.receivers);
  return {
    aloneP99Ms: alone.arrivals.latencyMs?.p99 ?? Number.POSITIVE_INFINITY,
    besideP99Ms: beside.arrivals.latencyMs?.p99 ?? Number.POSITIVE_INFINITY,
    events: result.settings.events,
    missing: alone.arrivals.missing + beside.arrivals.missing,
    duplicates: alone.arrivals.repeats + beside.arrivals.repeats,
    signaturesChecked: every.reduce((sum, receiver) => sum + receiver.signatures.checked, 0),
    signaturesVerified: every.reduce((sum, receiver) => sum + receiver.signatures.verified, 0),
  };
};

/** `1000 succeeded, 1 attempt` or `990 succeeded, 10 pending; attempts 1: 995, 2: 5`. */
export const deliveryLogText = (log: DeliveryLogCounts): string => {
  const statuses = Object.entries(log.byStatus)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
  const attempts = Object.entries(log.byAttempts);
  const attemptText =
    attempts.length === 1
      ? `${attempts[0]?.[0]} attempt${attempts[0]?.[0] === '1' ? '' : 's'} each`
      : `attempts ${attempts.map(([n, deliveries]) => `${n}: ${deliveries}`).join(', ')}`;
  return log.total === 0 ? 'none' : `${statuses}; ${attemptText}`;
};

export const webhookSection = (result: WebhookResult): string => {
  const { settings } = result;
  const pace = settings.ratePerSecond
    ? `${settings.ratePerSecond} creates started per second, at most ${settings.concurrency} in flight`
    : `created ${settings.concurrency} at a time`;
  const rows = result.runs.flatMap((run) =>
    run.receivers.map((receiver, index) => {
      const latency = receiver.arrivals.latencyMs;
      return [
        index === 0 ? run.name : '',
        index === 0 ? ms(run.produced.created / run.produced.seconds) : '',
        `${receiver.role} (${receiver.answers})`,
        String(receiver.arrivals.posts),
        String(receiver.arrivals.distinctIds),
        String(receiver.arrivals.repeats),
        String(receiver.arrivals.missing),
        latency ? latency.p50.toFixed(0) : '-',
        latency ? latency.p99.toFixed(0) : '-',
        latency ? latency.max.toFixed(0) : '-',
        deliveryLogText(receiver.log),
        `${receiver.signatures.verified}/${receiver.signatures.checked}`,
      ];
    }),
  );
  const [alone, beside] = result.runs.map(healthyIn) as [ReceiverResult, ReceiverResult];
  const ratioOf = (
    pick: (latency: NonNullable<ReceiverResult['arrivals']['latencyMs']>) => number,
  ) =>
    alone.arrivals.latencyMs && beside.arrivals.latencyMs
      ? times(pick(beside.arrivals.latencyMs) / pick(alone.arrivals.latencyMs))
      : '-';
  return [
    `4. Webhook delivery: ${count(settings.events)} \`smart_account_request.created\` events per setup (one per request, ${pace}), in ${settings.rounds} interleaved rounds per setup, each on a fresh local stack; retries after ${settings.retrySeconds.join(', ')} s`,
    "   latency = the receiver's arrival time - the event's createdAt, at each event's first POST. Beside the others the endpoints are added slow, failing, healthy, in the order of the rows; the fan-out stores and starts an event's deliveries side by side.",
    table(
      [
        'run',
        'creates/s',
        'receiver',
        'POSTs',
        'event ids',
        'repeats',
        'missing',
        'p50 ms',
        'p99 ms',
        'max ms',
        'delivery log',
        'signatures ok',
      ],
      rows,
      [
        'left',
        'right',
        'left',
        'right',
        'right',
        'right',
        'right',
        'right',
        'right',
        'right',
        'left',
        'right',
      ],
    ),
    `   healthy beside slow+failing / alone: p50 ${ratioOf((l) => l.p50)}, p99 ${ratioOf((l) => l.p99)}, max ${ratioOf((l) => l.max)}; every delivery ended (succeeded or failed) within ${result.runs.map((run) => `${run.endedSeconds.toFixed(1)} s (${run.name})`).join(', ')} of a round's last create.${result.runs.every((run) => run.drained) ? '' : ` NOT DRAINED: some deliveries had not ended ${settings.drainSeconds} s after the last create.`}`,
    ...result.runs.map(
      (run) =>
        `   ${run.name}, rounds in order: healthy p99 ${run.rounds.map((round) => round.healthyLatencyMs?.p99.toFixed(0) ?? '-').join(', ')} ms at load ${run.rounds.map(({ load }) => `${load[0].toFixed(1)}-${load[1].toFixed(1)}`).join(', ')}`,
    ),
    `   signatures: an even sample of ${settings.signatureSample} POSTs per receiver and round verified with standardwebhooks (the reference package).`,
  ].join('\n');
};

export const budgetSection = (checks: readonly BudgetCheck[]): string =>
  [
    '7. Budgets',
    table(
      ['budget', 'limit', 'measured', 'holds'],
      checks.map((check) => [check.name, check.limit, check.measured, check.holds ? 'yes' : 'NO']),
      ['left', 'left', 'left', 'left'],
    ),
  ].join('\n');

export const summaryLine = (
  checks: readonly BudgetCheck[],
  activatedPer1000: number | undefined,
  seconds: number,
): string => {
  const failed = checks.filter((check) => !check.holds);
  const verdict = failed.length
    ? `${failed.length} of ${checks.length} budgets OVER (${failed.map((check) => `${check.name}: ${check.measured}`).join('; ')})`
    : `all ${checks.length} budgets hold`;
  const cost =
    activatedPer1000 === undefined ? '' : `; ${usd(activatedPer1000)} per 1,000 activated requests`;
  return `SUMMARY: ${verdict}${cost}; ${seconds.toFixed(0)} s`;
};
