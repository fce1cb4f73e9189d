/**
 * Pure checks and figures of the batch phase (bench/batch-create.ts): an answer counts only when
 * it is what the contract says a batch of valid items gets, so no figure comes from a batch
 * that refused or lost items. Unit-tested in test/unit/bench/batch-answers.test.ts.
 */
import { percentile } from './stats.ts';

/** What a round of the sequential part sends: one batch, or as many single creates. */
export const RoundKind = {
  BATCH: 'batch',
  SINGLES: 'singles',
} as const;
export type RoundKind = (typeof RoundKind)[keyof typeof RoundKind];

/** The measured (not warm-up) rounds of one kind, in the order they ran. */
export const measuredRounds = <R extends { readonly kind: RoundKind; readonly warmUp: boolean }>(
  rounds: readonly R[],
  kind: RoundKind,
): R[] => rounds.filter((round) => round.kind === kind && !round.warmUp);

interface SentItem {
  readonly accountDomain: string;
}

interface AnswerItem {
  readonly index?: unknown;
  readonly status?: unknown;
  readonly request?: { readonly id?: unknown; readonly accountDomain?: unknown; status?: unknown };
}

const itemsOf = (what: string, httpStatus: number, body: unknown, sent: number): AnswerItem[] => {
  if (httpStatus !== 200) throw new Error(`${what}: answered ${httpStatus}`);
  const items = (body as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) throw new Error(`${what}: no items in the answer`);
  if (items.length !== sent) throw new Error(`${what}: ${items.length} items for ${sent} sent`);
  return items as AnswerItem[];
};

/** The problem of the first item that is not as `expected`, with its position. */
const firstWrong = (
  items: readonly AnswerItem[],
  expected: (item: AnswerItem, index: number) => string | undefined,
): string | undefined => {
  for (const [index, item] of items.entries()) {
    if (item.index !== index) return `item ${index} has index ${String(item.index)}`;
    const problem = expected(item, index);
    if (problem) return `item ${index}: ${problem}`;
  }
  return undefined;
};

/**
 * The ids of a created batch: every item 202, in order, each a pending request for the domain
 * sent at its position, no id twice. Anything else throws.
 */
export const createdIds = (
  what: string,
  httpStatus: number,
  body: unknown,
  sent: readonly SentItem[],
): string[] => {
  const items = itemsOf(what, httpStatus, body, sent.length);
  const wrong = firstWrong(items, (item, index) => {
    if (item.status !== 202) return `status ${String(item.status)}`;
    if (typeof item.request?.id !== 'string') return 'no request id';
    if (item.request.accountDomain !== sent[index]?.accountDomain) {
      return `domain ${String(item.request.accountDomain)}, ${sent[index]?.accountDomain} sent`;
    }
    if (item.request.status !== 'PENDING_ACTIVATION')
      return `status ${String(item.request.status)}`;
    return undefined;
  });
  if (wrong) throw new Error(`${what}: ${wrong}`);
  const ids = items.map((item) => item.request?.id as string);
  if (new Set(ids).size !== ids.length) throw new Error(`${what}: an id answered twice`);
  return ids;
};

/** A reviewed batch (`?dryRun=true`): every item 200, in order, with no id (nothing written). */
export const checkReviewed = (
  what: string,
  httpStatus: number,
  body: unknown,
  sent: readonly SentItem[],
): void => {
  const items = itemsOf(what, httpStatus, body, sent.length);
  const wrong = firstWrong(items, (item, index) => {
    if (item.status !== 200) return `status ${String(item.status)}`;
    if (item.request?.id !== null) return `id ${String(item.request?.id)} on a dry run`;
    if (item.request.accountDomain !== sent[index]?.accountDomain) {
      return `domain ${String(item.request.accountDomain)}, ${sent[index]?.accountDomain} sent`;
    }
    return undefined;
  });
  if (wrong) throw new Error(`${what}: ${wrong}`);
};

/** A mail as aws-ses-v2-local's GET /store lists it. */
export interface StoredMail {
  readonly destination: { readonly to: readonly string[] };
}

/** How many of `addresses` at least one stored mail went to. */
export const addressesReached = (
  mails: readonly StoredMail[],
  addresses: ReadonlySet<string>,
): number => {
  const reached = new Set<string>();
  for (const mail of mails) {
    for (const to of mail.destination.to) if (addresses.has(to)) reached.add(to);
  }
  return reached.size;
};

/** Where the per-batch figures of a run fall: its median and its 10th and 90th percentiles. */
export interface Spread {
  readonly p10: number;
  readonly median: number;
  readonly p90: number;
}

export const spreadOf = (values: readonly number[]): Spread => ({
  p10: percentile(values, 10),
  median: percentile(values, 50),
  p90: percentile(values, 90),
});

/** Items answered per second of wall time. */
export const itemsPerSecond = (items: number, ms: number): number => {
  if (!(ms > 0)) throw new Error(`Not a duration: ${ms} ms`);
  return items / (ms / 1000);
};

/**
 * What the partner's list and counts must say after the run: every id created, nothing else,
 * all pending. Returns the problems found (none: they agree).
 */
export const listAndCountsProblems = (
  created: readonly string[],
  listed: readonly string[],
  counts: Readonly<Record<string, number>>,
): string[] => {
  const problems: string[] = [];
  const listedSet = new Set(listed);
  const createdSet = new Set(created);
  if (listedSet.size !== listed.length) problems.push('the list shows an id twice');
  const missing = created.filter((id) => !listedSet.has(id)).length;
  const extra = listed.filter((id) => !createdSet.has(id)).length;
  if (missing > 0) problems.push(`${missing} created requests not in the list`);
  if (extra > 0) problems.push(`${extra} listed requests not created`);
  for (const [status, n] of Object.entries(counts)) {
    const expected = status === 'PENDING_ACTIVATION' ? created.length : 0;
    if (n !== expected) problems.push(`counts say ${n} ${status}, ${expected} expected`);
  }
  if (!('PENDING_ACTIVATION' in counts)) problems.push('counts have no PENDING_ACTIVATION');
  return problems;
};
