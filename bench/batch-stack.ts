/**
 * Child process of the batch phase (bench/batch-create.ts): a local stack with as many partners
 * as the parent asks for. The parent sends the batches, reads the local SES store and checks
 * the list and the counts through the API, so none of that shares this event loop with the
 * handlers and the workflows the batches start.
 */
import { startStack } from '../local/stack.ts';
import { servePhase } from './phase-process.ts';

export interface BatchStackInfo {
  readonly apiUrl: string;
  /** aws-ses-v2-local: GET /store lists the mail sent, POST /clear-store empties it. */
  readonly sesUrl: string;
  /** The N-th key is `local-partner-N`'s (local/seed-partners.ts). */
  readonly partners: readonly { readonly id: string; readonly key: string }[];
}

const PARTNERS = Number(process.argv[2] ?? '1');
const PARTNER_KEYS = Array.from(
  { length: PARTNERS },
  (_, index) => `sak_bench_${process.pid}_partner_${index + 1}_key_for_the_batch_phase`,
);

// The default activation timeout and reminders (90 days; 60, 30 and 7 days before): every
// request the phase creates stays waiting for its customer, as a real batch's would.
const stack = await startStack({ partnerKeys: PARTNER_KEYS, logLevel: 'WARN' });

servePhase(
  {
    apiUrl: stack.apiUrl,
    sesUrl: stack.sesUrl,
    partners: PARTNER_KEYS.map((key, index) => ({ id: `local-partner-${index + 1}`, key })),
  } satisfies BatchStackInfo,
  {
    /** CPU time of this process (gateway, handlers, workflows, stand-ins), ms. */
    cpu: () => {
      const usage = process.cpuUsage();
      return (usage.user + usage.system) / 1000;
    },
  },
  () => stack.stop(),
);
