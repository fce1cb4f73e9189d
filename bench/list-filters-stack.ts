/**
 * Child process of the list-filter phase (bench/list-filters.ts): a local stack with two
 * partners. The parent seeds the table through the stack's dynalite endpoint, meters its own
 * reads there and calls the API, so none of that shares this event loop with the handlers.
 */
import { startStack } from '../local/stack.ts';
import { servePhase } from './phase-process.ts';

export interface ListFiltersStackInfo {
  readonly apiUrl: string;
  readonly dynamoUrl: string;
  readonly tableName: string;
  /** The N-th key is `local-partner-N`'s (local/seed-partners.ts). */
  readonly partners: readonly { readonly id: string; readonly key: string }[];
}

const PARTNER_KEYS = [1, 2].map(
  (n) => `sak_bench_${process.pid}_partner_${n}_key_for_the_list_filter_phase`,
);

const stack = await startStack({ partnerKeys: PARTNER_KEYS, logLevel: 'WARN' });

servePhase(
  {
    apiUrl: stack.apiUrl,
    dynamoUrl: stack.dynamoUrl,
    tableName: stack.tableName,
    partners: PARTNER_KEYS.map((key, index) => ({ id: `local-partner-${index + 1}`, key })),
  } satisfies ListFiltersStackInfo,
  {},
  () => stack.stop(),
);
