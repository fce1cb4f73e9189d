import { itemsPerSecond, measuredRounds, RoundKind, spreadOf } from './batch-answers.ts';
import type { BatchResult, DrainedRound } from './batch-create.ts';
import type { BudgetInput } from './budgets.ts';
import { table } from './format.ts';
import { percentile } from './stats.ts';

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const rate = (value: number) => value.toFixed(1);
/** The share of one core the stack process had: how much other work on the machine took. */
const percent = (share: number) => `${(share * 100).toFixed(0)}%`;
const loads = (values: readonly number[]) => values.map((value) => value.toFixed(2)).join(' ');
const spreadText = (values: readonly number[], format: (value: number) => string) => {
  const spread = spreadOf(values);
  return `median ${format(spread.median)} (p10 ${format(spread.p10)}, p90 ${format(spread.p90)})`;
};

const roundRow = (round: DrainedRound, label: string) => [
  `${round.kind} ${label}`,
  seconds(round.answerMs),
  rate(itemsPerSecond(round.items, round.answerMs)),
  (round.stackCpuMs / round.items).toFixed(1),
  percent(round.stackCpuMs / round.answerMs),
  seconds(round.firstWaitMs),
  round.load.toFixed(2),
];

/** Rounds numbered per kind in the order they ran, warm-ups named. */
const roundRows = (rounds: readonly DrainedRound[]) => {
  const numbered: Partial<Record<RoundKind, number>> = {};
  return rounds.map((round) => {
    if (round.warmUp) return roundRow(round, 'warm-up');
    numbered[round.kind] = (numbered[round.kind] ?? 0) + 1;
    return roundRow(round, String(numbered[round.kind]));
  });
};

const kindSummary = (rounds: readonly DrainedRound[], what: string) => {
  if (rounds.length === 0) return `   ${what}: none`;
  const answers = rounds.map((round) => round.answerMs);
  return `   ${rounds.length} ${what}: ${spreadText(
    rounds.map((round) => itemsPerSecond(round.items, round.answerMs)),
    rate,
  )} items/s; answer ${spreadText(answers, seconds)} s, max ${seconds(Math.max(...answers))} s; stack CPU ${spreadText(
    rounds.map((round) => round.stackCpuMs / round.items),
    rate,
  )} ms/item; first wait ${spreadText(
    rounds.map((round) => round.firstWaitMs),
    seconds,
  )} s`;
};

export const batchCreateSection = (result: BatchResult): string => {
  const { settings, parallel } = result;
  const batches = measuredRounds(result.rounds, RoundKind.BATCH);
  const singles = measuredRounds(result.rounds, RoundKind.SINGLES);
  const parallelItems = parallel.batches.reduce((sum, batch) => sum + batch.items, 0);
  return [
    `6. Batch create (issue 14): POST /v1/smart-account-requests/batch with ${settings.items} valid items (each its own domain) on a fresh local stack; after a warm-up, ${batches.length} batches one after the other, and between them ${singles.length} rounds of ${settings.items} single creates (POST /v1/smart-account-requests, ${settings.singleConcurrency} in flight, as many as a batch runs at once)`,
    `   answer = request sent to answer read (singles: first sent to last read); first wait = to the last of the round's activation e-mails in the local SES store (GET /store every ${settings.mailPollMs} ms), each execution's step before WaitForActivation; the next round starts after that. Stack CPU: the stack process's, request to answer, also as a share of one core over that time (one JavaScript thread; GC and I/O threads can take it past 100%): what other work on the machine left it.`,
    table(
      ['round', 'answer s', 'items/s', 'stack CPU ms/item', 'of a core', 'first wait s', 'load'],
      roundRows(result.rounds),
    ),
    kindSummary(batches, 'batches'),
    kindSummary(singles, 'rounds of single creates'),
    `   ${parallel.batches.length} batches at once, one per partner (${parallel.batches.map((batch) => batch.partnerId).join(', ')}): answers ${parallel.batches.map((batch) => seconds(batch.answerMs)).join(', ')} s; ${parallelItems} items in ${seconds(parallel.answeredMs)} s = ${rate(itemsPerSecond(parallelItems, parallel.answeredMs))} items/s aggregate; stack CPU to the last answer ${(parallel.stackCpuMs / parallelItems).toFixed(1)} ms/item, ${percent(parallel.stackCpuMs / parallel.answeredMs)} of a core; every first wait ${seconds(parallel.firstWaitMs)} s after the first request`,
    `   dry run (?dryRun=true) of ${settings.items}: p50 ${seconds(percentile(result.dryRunMs, 50))} s, max ${seconds(Math.max(...result.dryRunMs))} s over ${result.dryRunMs.length} after one warm-up; nothing written`,
    `   created ${result.created} (warm-up included), every answer ${settings.items} entries of 202; the partners' lists hold ${result.listed} and their counts ${result.counted} PENDING_ACTIVATION, nothing else`,
    `   load average (1, 5, 15 min) ${loads(result.load.before)} before, ${loads(result.load.after)} after: the stack runs the gateway, the handlers, every workflow and the stand-ins in one Node process.`,
  ].join('\n');
};

/** What the budget needs: the sequential batches' answers (one Lambda invocation each on AWS). */
export const batchBudgetInput = (result: BatchResult): BudgetInput['batches'] => ({
  items: result.settings.items,
  answerMs: measuredRounds(result.rounds, RoundKind.BATCH).map((batch) => batch.answerMs),
});
