import { itemsPerSecond, spreadOf } from './batch-answers.ts';
import type { BatchResult, BatchTiming } from './batch-create.ts';
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

const sequentialRow = (name: string, batch: BatchTiming) => [
  name,
  seconds(batch.answerMs),
  rate(itemsPerSecond(batch.items, batch.answerMs)),
  batch.firstWaitMs === undefined ? '-' : seconds(batch.firstWaitMs),
  batch.stackCpuMs === undefined ? '-' : (batch.stackCpuMs / batch.items).toFixed(1),
  batch.stackCpuMs === undefined || batch.firstWaitMs === undefined
    ? '-'
    : percent(batch.stackCpuMs / batch.firstWaitMs),
  batch.load.toFixed(2),
];

export const batchCreateSection = (result: BatchResult): string => {
  const { settings, sequential, parallel } = result;
  const answers = sequential.map((batch) => batch.answerMs);
  const throughputs = sequential.map((batch) => itemsPerSecond(batch.items, batch.answerMs));
  const firstWaits = sequential.flatMap((batch) =>
    batch.firstWaitMs === undefined ? [] : [batch.firstWaitMs],
  );
  const parallelItems = parallel.batches.reduce((sum, batch) => sum + batch.items, 0);
  return [
    `6. Batch create (issue 14): POST /v1/smart-account-requests/batch with ${settings.items} valid items (each its own domain) on a fresh local stack; a warm-up batch, then ${sequential.length} one after the other`,
    `   answer = request sent to answer read; first wait = to the last of the batch's activation e-mails in the local SES store (GET /store every ${settings.mailPollMs} ms), each execution's step before WaitForActivation; the next batch starts after that. Stack CPU: the stack process over the first wait, also as a share of one core (one JavaScript thread; GC and I/O threads can take it past 100%).`,
    table(
      ['batch', 'answer s', 'items/s', 'first wait s', 'stack CPU ms/item', 'of a core', 'load'],
      [
        sequentialRow('warm-up', result.warmUp),
        ...sequential.map((batch, index) => sequentialRow(String(index + 1), batch)),
      ],
    ),
    `   ${sequential.length} batches: ${spreadText(throughputs, rate)} items/s; answer ${spreadText(answers, seconds)} s, max ${seconds(Math.max(...answers))} s; first wait ${firstWaits.length ? spreadText(firstWaits, seconds) : '-'} s`,
    `   ${parallel.batches.length} batches at once, one per partner (${parallel.batches.map((batch) => batch.partnerId).join(', ')}): answers ${parallel.batches.map((batch) => seconds(batch.answerMs)).join(', ')} s; ${parallelItems} items in ${seconds(parallel.answeredMs)} s = ${rate(itemsPerSecond(parallelItems, parallel.answeredMs))} items/s aggregate; every first wait ${seconds(parallel.firstWaitMs)} s after the first request; stack CPU ${(parallel.stackCpuMs / parallelItems).toFixed(1)} ms/item, ${percent(parallel.stackCpuMs / parallel.firstWaitMs)} of a core`,
    `   dry run (?dryRun=true) of ${settings.items}: p50 ${seconds(percentile(result.dryRunMs, 50))} s, max ${seconds(Math.max(...result.dryRunMs))} s over ${result.dryRunMs.length} after one warm-up; nothing written`,
    `   created ${result.created} (warm-up included), every answer ${settings.items} entries of 202; the partners' lists hold ${result.listed} and their counts ${result.counted} PENDING_ACTIVATION, nothing else`,
    `   load average (1, 5, 15 min) ${loads(result.load.before)} before, ${loads(result.load.after)} after: the stack runs the gateway, the handlers, every workflow and the stand-ins in one Node process.`,
  ].join('\n');
};

/** What the budget needs: the sequential batches' answers (one Lambda each on AWS). */
export const batchBudgetInput = (result: BatchResult): BudgetInput['batches'] => ({
  items: result.settings.items,
  answerMs: result.sequential.map((batch) => batch.answerMs),
});
