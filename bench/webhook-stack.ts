/**
 * Child process of the webhook phase (bench/webhook-delivery.ts): a local stack with a short
 * retry schedule and one partner. The parent is the partner and the receivers: it adds the
 * endpoints, creates the requests and stamps the arrivals, so none of that shares this event
 * loop with the functions it measures.
 */
import { startStack } from '../local/stack.ts';
import { servePhase } from './phase-process.ts';

export interface WebhookStackInfo {
  readonly apiUrl: string;
  readonly partnerKey: string;
  readonly retrySeconds: readonly number[];
}

const RETRY_SECONDS = (process.argv[2] ?? '1,1').split(',').map(Number);
const PARTNER_KEY = `sak_bench_${process.pid}_partner_key_for_the_webhook_phase`;

const stack = await startStack({
  partnerKeys: [PARTNER_KEY],
  webhookRetrySeconds: RETRY_SECONDS,
  logLevel: 'WARN',
});

servePhase(
  {
    apiUrl: stack.apiUrl,
    partnerKey: PARTNER_KEY,
    retrySeconds: RETRY_SECONDS,
  } satisfies WebhookStackInfo,
  {},
  () => stack.stop(),
);
