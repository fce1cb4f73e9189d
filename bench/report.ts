import type { ApiOverheadResult } from './api-overhead.ts';
import type { BudgetCheck } from './budgets.ts';
import type { LoadResult } from './cold-start.ts';
import { type CostResult, LAMBDA_MEMORY_MB } from './cost.ts';
import { PRICE_DATE, PRICES } from './cost-model.ts';
import { count, kib, ms, table, times, usd } from './format.ts';

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

export const budgetSection = (checks: readonly BudgetCheck[]): string =>
  [
    '4. Budgets',
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
