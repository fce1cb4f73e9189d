/**
 * Batch create throughput (issue 14, item 1): `POST /v1/smart-account-requests/batch` with
 * 100 valid items, on a fresh local stack in a child process (bench/batch-stack.ts).
 *
 * - sequential: a warm-up batch, then `batches` batches one after the other, each timed from
 *   the request to its answer, and until every one of its executions reached its first wait
 *   (the activation e-mail to each customer is in the local SES store: send-activation runs
 *   just before WaitForActivation). The next batch starts once they all did, so each batch
 *   meets a stack without the previous batch's workflows still running in its process;
 * - singles: between those batches, rounds of as many single creates, as many in flight as a
 *   batch runs at once, drained the same way: what the batch route saves (or costs) per item;
 * - parallel: `parallel` batches at once, one per partner (the partners a stack serves at the
 *   same time, rather than one partner's console, which sends its calls one after the other);
 * - dry runs: `?dryRun=true` of 100 items, timed to the answer.
 *
 * Every answer is checked (100 entries, each 202 with its own domain's pending request), and at
 * the end each partner's list and counts must show exactly the requests created.
 */
import { loadavg } from 'node:os';
import {
  addressesReached,
  checkReviewed,
  createdIds,
  listAndCountsProblems,
  RoundKind,
  type StoredMail,
} from './batch-answers.ts';
import type { BatchStackInfo } from './batch-stack.ts';
import { type PhaseProcess, startPhase } from './phase-process.ts';
import { benchRequest } from './requests.ts';

export interface BatchSettings {
  /** Items per batch: the contract's most. */
  readonly items: number;
  /** Measured sequential batches, after one warm-up batch. */
  readonly batches: number;
  /** Batches sent at once, one per partner. */
  readonly parallel: number;
  /** Measured dry runs, after one warm-up dry run. */
  readonly dryRuns: number;
  /**
   * Rounds of `items` single creates (POST /v1/smart-account-requests) between the sequential
   * batches, after one warm-up round: what the batch saves against creating one by one.
   */
  readonly singleRounds: number;
  /** Single creates in flight: as many as a batch runs at once (runBatch's default, 8). */
  readonly singleConcurrency: number;
  /** How often GET /store is read while waiting for the activation e-mails. */
  readonly mailPollMs: number;
  /** How long a batch's executions may take to reach their first wait. */
  readonly firstWaitDeadlineSeconds: number;
}

/**
 * 10 sequential batches of 100, 5 rounds of 100 single creates between them and 4 batches in
 * parallel: 2,100 requests with the warm-ups, 60-73 s on 2 CPUs at load 2-3 (2026-12-02).
 */
export const BATCH_SETTINGS: BatchSettings = {
  items: 100,
  batches: 10,
  parallel: 4,
  dryRuns: 5,
  singleRounds: 5,
  singleConcurrency: 8,
  mailPollMs: 250,
  firstWaitDeadlineSeconds: 120,
};

/** One batch of creates (or round of single creates) as the partner saw it. */
export interface BatchTiming {
  readonly partnerId: string;
  readonly items: number;
  /** Request sent to answer read (singles: the first sent to the last read). */
  readonly answerMs: number;
  /** 1-minute load average when the batch was sent. */
  readonly load: number;
}

/** A batch or a round of single creates of the sequential part, drained before the next. */
export interface DrainedRound extends BatchTiming {
  readonly kind: RoundKind;
  readonly warmUp: boolean;
  /** Request sent to the last activation e-mail seen. */
  readonly firstWaitMs: number;
  /**
   * CPU time of the stack process from the request to the answer: the handler and what the
   * executions it started did meanwhile; none of the GET /store polls, which come after.
   */
  readonly stackCpuMs: number;
}

export interface ParallelRun {
  readonly batches: readonly BatchTiming[];
  /** First request sent to the last answer read. */
  readonly answeredMs: number;
  /** First request sent to the last activation e-mail seen. */
  readonly firstWaitMs: number;
  /** CPU time of the stack process from the first request to the last answer. */
  readonly stackCpuMs: number;
}

export interface BatchResult {
  readonly settings: BatchSettings;
  /** The sequential part in the order it ran, the warm-ups (one batch, one singles) first. */
  readonly rounds: readonly DrainedRound[];
  readonly parallel: ParallelRun;
  readonly dryRunMs: readonly number[];
  /** Requests created over the phase, warm-up included, and what the API says of them. */
  readonly created: number;
  readonly listed: number;
  readonly counted: number;
  /** `loadavg()` (1, 5, 15 minutes, as `uptime` shows) before the stack started and at the end. */
  readonly load: { readonly before: readonly number[]; readonly after: readonly number[] };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Stack = PhaseProcess<BatchStackInfo>;
type Partner = BatchStackInfo['partners'][number];

const call = async (
  stack: Stack,
  partner: Partner,
  method: string,
  path: string,
  body?: unknown,
) => {
  const response = await fetch(`${stack.info.apiUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${partner.key}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
};

const REQUESTS_PATH = '/v1/smart-account-requests';
const BATCH_PATH = `${REQUESTS_PATH}/batch`;

const storedMail = async (stack: Stack): Promise<StoredMail[]> => {
  const response = await fetch(`${stack.info.sesUrl}/store`);
  return ((await response.json()) as { emails: StoredMail[] }).emails;
};

/** Keeps GET /store to the batches being waited for: the store is in the stack's process. */
const clearMail = async (stack: Stack) => {
  const response = await fetch(`${stack.info.sesUrl}/clear-store`, { method: 'POST' });
  if (response.status !== 200) throw new Error(`clear-store answered ${response.status}`);
};

/** Resolves when a mail went to every address, at the poll that first saw it. */
const allMailed = async (stack: Stack, addresses: ReadonlySet<string>, settings: BatchSettings) => {
  const deadline = Date.now() + settings.firstWaitDeadlineSeconds * 1000;
  for (;;) {
    const reached = addressesReached(await storedMail(stack), addresses);
    if (reached === addresses.size) return performance.now();
    if (Date.now() > deadline) {
      throw new Error(`${reached} of ${addresses.size} activation e-mails after the deadline`);
    }
    await sleep(settings.mailPollMs);
  }
};

const newBatch = (items: number) => Array.from({ length: items }, () => benchRequest('batch'));

/** Sends one batch of creates and checks its answer; the ids go to `created`. */
const sendBatch = async (
  stack: Stack,
  partner: Partner,
  items: ReturnType<typeof newBatch>,
  what: string,
  created: Map<string, string[]>,
) => {
  const load = loadavg()[0] ?? 0;
  const sentAt = performance.now();
  const answer = await call(stack, partner, 'POST', BATCH_PATH, { items });
  const answeredAt = performance.now();
  const ids = createdIds(what, answer.status, answer.body, items);
  created.get(partner.id)?.push(...ids);
  return { sentAt, answeredAt, load };
};

/**
 * The same items as single creates, `singleConcurrency` at a time; each answer checked as a
 * batch's entry would be. Timed from the first request to the last answer.
 */
const sendSingles = async (
  stack: Stack,
  partner: Partner,
  items: ReturnType<typeof newBatch>,
  what: string,
  created: Map<string, string[]>,
  concurrency: number,
) => {
  const load = loadavg()[0] ?? 0;
  const answers: { index: number; status: number; request: unknown }[] = [];
  let next = 0;
  const sentAt = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const index = next++;
        const answer = await call(stack, partner, 'POST', REQUESTS_PATH, items[index]);
        answers[index] = { index, status: answer.status, request: answer.body };
      }
    }),
  );
  const answeredAt = performance.now();
  const ids = createdIds(what, 200, { items: answers }, items);
  created.get(partner.id)?.push(...ids);
  return { sentAt, answeredAt, load };
};

type Send = (
  partner: Partner,
  items: ReturnType<typeof newBatch>,
  what: string,
) => Promise<{ sentAt: number; answeredAt: number; load: number }>;

/** One batch (or round of single creates), then until each of its executions mailed its customer. */
const drainedRound = async (
  stack: Stack,
  partner: Partner,
  settings: BatchSettings,
  round: { kind: RoundKind; warmUp: boolean; what: string; send: Send },
): Promise<DrainedRound> => {
  const { what, send } = round;
  const items = newBatch(settings.items);
  await clearMail(stack);
  const cpuBefore = await stack.call<number>('cpu');
  const { sentAt, answeredAt, load } = await send(partner, items, what);
  const stackCpuMs = (await stack.call<number>('cpu')) - cpuBefore;
  const mailedAt = await allMailed(
    stack,
    new Set(items.map((item) => item.customerEmail)),
    settings,
  );
  return {
    kind: round.kind,
    warmUp: round.warmUp,
    partnerId: partner.id,
    items: items.length,
    answerMs: answeredAt - sentAt,
    firstWaitMs: mailedAt - sentAt,
    stackCpuMs,
    load,
  };
};

const parallelRun = async (
  stack: Stack,
  partners: readonly Partner[],
  settings: BatchSettings,
  created: Map<string, string[]>,
): Promise<ParallelRun> => {
  const batches = partners.map(() => newBatch(settings.items));
  await clearMail(stack);
  const cpuBefore = await stack.call<number>('cpu');
  const startedAt = performance.now();
  const sent = await Promise.all(
    partners.map((partner, index) =>
      sendBatch(stack, partner, batches[index] ?? [], `parallel batch of ${partner.id}`, created),
    ),
  );
  const answeredAt = Math.max(...sent.map((batch) => batch.answeredAt));
  const stackCpuMs = (await stack.call<number>('cpu')) - cpuBefore;
  const mailedAt = await allMailed(
    stack,
    new Set(batches.flat().map((item) => item.customerEmail)),
    settings,
  );
  return {
    batches: sent.map((batch, index) => ({
      partnerId: (partners[index] as Partner).id,
      items: batches[index]?.length ?? 0,
      answerMs: batch.answeredAt - batch.sentAt,
      load: batch.load,
    })),
    answeredMs: answeredAt - startedAt,
    firstWaitMs: mailedAt - startedAt,
    stackCpuMs,
  };
};

const dryRun = async (stack: Stack, partner: Partner, settings: BatchSettings, what: string) => {
  const items = newBatch(settings.items);
  const sentAt = performance.now();
  const answer = await call(stack, partner, 'POST', `${BATCH_PATH}?dryRun=true`, { items });
  const ms = performance.now() - sentAt;
  checkReviewed(what, answer.status, answer.body, items);
  return ms;
};

/** Every id of the partner's list, paging 100 at a time until the cursor is null. */
const listedIds = async (stack: Stack, partner: Partner): Promise<string[]> => {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const query = new URLSearchParams({ limit: '100', ...(cursor ? { cursor } : {}) });
    const page = await call(stack, partner, 'GET', `/v1/smart-account-requests?${query}`);
    const body = page.body as { items?: { id: string }[]; nextCursor?: string | null };
    if (page.status !== 200 || !body.items) throw new Error(`The list answered ${page.status}`);
    ids.push(...body.items.map((item) => item.id));
    if (!body.nextCursor) return ids;
    cursor = body.nextCursor;
  }
};

/**
 * The partner's list and counts against what it created. The first Wake counts a request,
 * before its activation e-mail, so by now they agree; they are read again for a few seconds
 * before a disagreement fails the phase.
 */
const checkListAndCounts = async (stack: Stack, partner: Partner, created: readonly string[]) => {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const listed = await listedIds(stack, partner);
    const counts = await call(stack, partner, 'GET', '/v1/smart-account-requests/counts');
    if (counts.status !== 200) throw new Error(`Counts answered ${counts.status}`);
    const byStatus = counts.body as Record<string, number>;
    const problems = listAndCountsProblems(created, listed, byStatus);
    if (problems.length === 0) {
      return { listed: listed.length, counted: byStatus.PENDING_ACTIVATION ?? 0 };
    }
    if (Date.now() > deadline) throw new Error(`${partner.id}: ${problems.join('; ')}`);
    await sleep(500);
  }
};

export const measureBatchCreate = async (
  settings: BatchSettings = BATCH_SETTINGS,
): Promise<BatchResult> => {
  const loadBefore = loadavg();
  const stack = await startPhase<BatchStackInfo>('./batch-stack.ts', [String(settings.parallel)]);
  try {
    const partners = stack.info.partners;
    const first = partners[0] as Partner;
    const created = new Map(partners.map((partner) => [partner.id, [] as string[]]));

    const batch: Send = (partner, items, what) => sendBatch(stack, partner, items, what, created);
    const singly: Send = (partner, items, what) =>
      sendSingles(stack, partner, items, what, created, settings.singleConcurrency);

    const run = (kind: RoundKind, warmUp: boolean, what: string) =>
      drainedRound(stack, first, settings, {
        kind,
        warmUp,
        what,
        send: kind === RoundKind.BATCH ? batch : singly,
      });
    // Loads the handlers' modules and clients, fills the authorizer cache and runs the
    // workflow's handlers once, as a running service's would be.
    const rounds = [
      await run(RoundKind.BATCH, true, 'warm-up batch'),
      await run(RoundKind.SINGLES, true, 'warm-up singles'),
    ];
    // The single-create rounds spread evenly between the batches, so drift in the machine's
    // load falls on both alike.
    const singlesEvery = settings.batches / Math.max(1, settings.singleRounds);
    let singles = 0;
    for (let n = 1; n <= settings.batches; n++) {
      rounds.push(await run(RoundKind.BATCH, false, `batch ${n}`));
      while (singles < Math.min(settings.singleRounds, Math.floor(n / singlesEvery))) {
        singles += 1;
        rounds.push(await run(RoundKind.SINGLES, false, `singles ${singles}`));
      }
    }
    const parallel = await parallelRun(stack, partners, settings, created);

    await dryRun(stack, first, settings, 'warm-up dry run');
    const dryRunMs: number[] = [];
    for (let n = 1; n <= settings.dryRuns; n++) {
      dryRunMs.push(await dryRun(stack, first, settings, `dry run ${n}`));
    }

    let listed = 0;
    let counted = 0;
    for (const partner of partners) {
      const agreed = await checkListAndCounts(stack, partner, created.get(partner.id) ?? []);
      listed += agreed.listed;
      counted += agreed.counted;
    }
    return {
      settings,
      rounds,
      parallel,
      dryRunMs,
      created: [...created.values()].reduce((sum, ids) => sum + ids.length, 0),
      listed,
      counted,
      load: { before: loadBefore, after: loadavg() },
    };
  } finally {
    await stack.close();
  }
};

/** `npx tsx bench/batch-create.ts [batches]`: this phase alone, with its section. */
if (import.meta.url === `file://${process.argv[1]}`) {
  const { batchCreateSection } = await import('./batch-report.ts');
  const batches = process.argv[2] ? Number(process.argv[2]) : BATCH_SETTINGS.batches;
  const startedAt = performance.now();
  console.log(batchCreateSection(await measureBatchCreate({ ...BATCH_SETTINGS, batches })));
  console.log(`${((performance.now() - startedAt) / 1000).toFixed(0)} s`);
}
