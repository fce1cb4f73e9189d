/**
 * Webhook delivery isolation: `created` events to local receivers, to a healthy one alone and
 * to the same kind of healthy one beside a slow one (answers after 5 s) and a failing one (500
 * always), in interleaved rounds (alone, beside, beside, alone, …), each round on a fresh local
 * stack (bench/webhook-stack.ts), so drift in the machine's load falls on both alike. Latency is
 * the healthy receiver's arrival time minus the event's createdAt; it should not change because
 * of the other two, whose deliveries run in executions of their own.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { Webhook } from 'standardwebhooks';
import { close, LOOPBACK } from '../local/listen.ts';
import { startPhase } from './phase-process.ts';
import { interleavedOrder } from './stats.ts';
import {
  type Arrival,
  type ArrivalSummary,
  type DeliveryLogCounts,
  evenSample,
  type LatencySummary,
  ReceiverRole,
  sumLogs,
  summarizeArrivals,
} from './webhook-arrivals.ts';
import {
  type AddedEndpoint,
  type Produced,
  type ProduceOptions,
  webhookPartner,
} from './webhook-partner.ts';
import type { WebhookStackInfo } from './webhook-stack.ts';

export interface WebhookSettings {
  /** Requests created per setup, over all its rounds: one `created` event each. */
  readonly events: number;
  /** Rounds per setup; each round creates `events / rounds` on a fresh stack. */
  readonly rounds: number;
  /** Creates in flight at most. */
  readonly concurrency: number;
  /** Creates started per second in both runs; absent: as fast as `concurrency` allows. */
  readonly ratePerSecond?: number;
  /** How long the slow receiver holds each POST before its 200 (under the 10 s timeout). */
  readonly slowAnswerMs: number;
  /** WEBHOOK_RETRY_SECONDS: short, so the failing receiver's deliveries end within the run. */
  readonly retrySeconds: readonly number[];
  /** POSTs per receiver whose signature is checked with the reference package. */
  readonly signatureSample: number;
  /** How long the deliveries may take to end after the last create answered. */
  readonly drainSeconds: number;
}

export interface ReceiverResult {
  readonly role: ReceiverRole;
  readonly answers: string;
  readonly arrivals: ArrivalSummary;
  /** The endpoint's delivery log once the run ended (partner API). */
  readonly log: DeliveryLogCounts;
  readonly signatures: { readonly checked: number; readonly verified: number };
}

/**
 * `npm run bench`'s settings. A fixed rate offers both setups the same load: the local stack
 * runs every function in one process, so as-fast-as-possible creates would compare how much
 * work each setup makes (beside the others, five attempts per event instead of one), not
 * whether the others hold the healthy one up. Measured on 2 CPUs (2026-12-02, load under 1):
 * with 8 in flight one stack takes 35 creates/s alone and 20 beside the others, so 10/s
 * leaves the busier setup half its capacity; 1,000 events per setup take about 4 minutes.
 */
export const WEBHOOK_SETTINGS: WebhookSettings = {
  events: 1_000,
  rounds: 4,
  concurrency: 8,
  ratePerSecond: 10,
  slowAnswerMs: 5_000,
  retrySeconds: [1, 1],
  signatureSample: 10,
  drainSeconds: 60,
};

/** One setup, its rounds pooled. */
export interface WebhookRun {
  readonly name: SetupName;
  /** Summed over the rounds. */
  readonly produced: Produced;
  /** In every round every receiver got what it should and no delivery was pending in time. */
  readonly drained: boolean;
  /**
   * From a round's last create answered until every delivery log said succeeded or failed
   * (polled each 500 ms); the longest round.
   */
  readonly endedSeconds: number;
  /** In the order they ran: a round that met other work on the machine shows here. */
  readonly rounds: readonly RoundSummary[];
  readonly receivers: readonly ReceiverResult[];
}

const Setup = {
  ALONE: 'alone',
  BESIDE: 'beside slow and failing',
} as const;
type SetupName = (typeof Setup)[keyof typeof Setup];

/**
 * The endpoints in the order they are added: the fan-out starts deliveries oldest endpoint
 * first, so beside the others the healthy one, added last, starts last in every fan-out.
 */
const ROLES: Record<SetupName, readonly ReceiverRole[]> = {
  [Setup.ALONE]: [ReceiverRole.HEALTHY],
  [Setup.BESIDE]: [ReceiverRole.SLOW, ReceiverRole.FAILING, ReceiverRole.HEALTHY],
};

/** What one round's receiver got, before the rounds are pooled. */
interface RoundReceiver {
  readonly role: ReceiverRole;
  readonly answers: string;
  readonly arrivals: readonly Arrival[];
  readonly log: DeliveryLogCounts;
  readonly signatures: { readonly checked: number; readonly verified: number };
}

interface Round {
  readonly produced: Produced;
  readonly drained: boolean;
  readonly endedSeconds: number;
  /** 1-minute load average when the round's creates began and when its deliveries ended. */
  readonly load: readonly [start: number, end: number];
  readonly receivers: readonly RoundReceiver[];
}

/** A round as the report shows it: how loaded the machine was, and the healthy one's latency. */
export interface RoundSummary {
  readonly load: readonly [start: number, end: number];
  readonly healthyLatencyMs: LatencySummary | null;
}

export interface WebhookResult {
  readonly settings: WebhookSettings;
  readonly runs: readonly [alone: WebhookRun, beside: WebhookRun];
}

interface Received {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly at: number;
}

interface Receiver {
  readonly role: ReceiverRole;
  readonly answers: string;
  /**
   * Measured POSTs come here; the warm-up's go to `${url}${WARM_UP_PATH}` and are answered
   * alike, only counted.
   */
  readonly url: string;
  readonly received: Received[];
  readonly warmUps: () => number;
  stop(): Promise<void>;
}

const headersOf = (request: IncomingMessage): Record<string, string> =>
  Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));

/** A receiver on loopback that stamps each POST when its body is in, then answers as its role says. */
const startReceiver = async (role: ReceiverRole, slowAnswerMs: number): Promise<Receiver> => {
  const received: Received[] = [];
  let warmUps = 0;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url?.endsWith(WARM_UP_PATH)) warmUps += 1;
      else {
        received.push({
          headers: headersOf(request),
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        });
      }
      if (role === ReceiverRole.HEALTHY) response.writeHead(204).end();
      if (role === ReceiverRole.FAILING) response.writeHead(500).end();
      if (role === ReceiverRole.SLOW) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          response.writeHead(200).end();
        }, slowAnswerMs);
        timers.add(timer);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  const { port } = server.address() as AddressInfo;
  const answers: Record<ReceiverRole, string> = {
    [ReceiverRole.HEALTHY]: '204 at once',
    [ReceiverRole.SLOW]: `200 after ${slowAnswerMs / 1000} s`,
    [ReceiverRole.FAILING]: '500 always',
  };
  return {
    role,
    answers: answers[role],
    url: `http://${LOOPBACK}:${port}/hook`,
    received,
    warmUps: () => warmUps,
    stop: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await close(server);
    },
  };
};

const WARM_UP_PATH = '/warm-up';
/**
 * Creates before the measured ones, at the measured rate. A fresh stack process loads its
 * modules and compiles its hot paths in its first seconds (measured: a beside round's first
 * 2 s held 5 of its 10 slowest healthy deliveries after a 3-event warm-up); the measured
 * events see a warm process, as a running service's would.
 */
const WARM_UP_EVENTS = 30;

const arrivalOf = (item: Received): Arrival => ({
  webhookId: item.headers['webhook-id'] ?? '',
  at: item.at,
  createdAt: Date.parse((JSON.parse(item.body) as { createdAt: string }).createdAt),
});

const distinctIds = (receiver: Receiver): number =>
  new Set(receiver.received.map((item) => item.headers['webhook-id'])).size;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `done` until it holds or the deadline passes; says which. */
const until = async (done: () => Promise<boolean> | boolean, deadline: number, everyMs: number) => {
  for (;;) {
    if (await done()) return true;
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
};

const signaturesOf = (receiver: Receiver, secret: string, sample: number) => {
  const verifier = new Webhook(secret);
  const checked = evenSample(receiver.received, sample);
  let verified = 0;
  for (const item of checked) {
    try {
      verifier.verify(item.body, item.headers);
      verified += 1;
    } catch {
      // Counted as not verified: the report shows checked against verified.
    }
  }
  return { checked: checked.length, verified };
};

/**
 * Warms the stack up through endpoints of its own on every receiver (each answers them as it
 * answers the measured ones), removed before the measured endpoints are added: their retries
 * then find the endpoint gone and POST nothing more.
 */
const warmUp = async (
  partner: ReturnType<typeof webhookPartner>,
  receivers: readonly Receiver[],
  settings: WebhookSettings,
): Promise<void> => {
  const healthy = receivers.find((receiver) => receiver.role === ReceiverRole.HEALTHY);
  if (!healthy) throw new Error('No healthy receiver');
  const endpoints = await partner.addEndpoints(
    receivers.map((receiver) => `${receiver.url}${WARM_UP_PATH}`),
  );
  await partner.produce({
    count: WARM_UP_EVENTS,
    concurrency: settings.concurrency,
    ratePerSecond: settings.ratePerSecond,
  });
  const warm = await until(
    () => healthy.warmUps() >= WARM_UP_EVENTS,
    Date.now() + settings.drainSeconds * 1000,
    50,
  );
  if (!warm) throw new Error('The warm-up deliveries did not arrive');
  for (const endpoint of endpoints) await partner.removeEndpoint(endpoint.id);
};

const runRound = async (
  roles: readonly ReceiverRole[],
  settings: WebhookSettings,
  events: number,
): Promise<Round> => {
  const receivers = await Promise.all(
    roles.map((role) => startReceiver(role, settings.slowAnswerMs)),
  );
  const phase = await startPhase<WebhookStackInfo>('./webhook-stack.ts', [
    settings.retrySeconds.join(','),
  ]);
  try {
    const partner = webhookPartner(phase.info.apiUrl, phase.info.partnerKey);
    await warmUp(partner, receivers, settings);
    const loadAtStart = loadavg()[0] ?? 0;
    const endpoints: AddedEndpoint[] = await partner.addEndpoints(
      receivers.map((receiver) => receiver.url),
    );
    const produced = await partner.produce({
      count: events,
      concurrency: settings.concurrency,
      ratePerSecond: settings.ratePerSecond,
    } satisfies ProduceOptions);
    const producedAt = Date.now();
    const deadline = producedAt + settings.drainSeconds * 1000;
    const expectedPosts = (receiver: Receiver) =>
      receiver.role === ReceiverRole.FAILING ? events * (settings.retrySeconds.length + 1) : events;
    const received = await until(
      () =>
        receivers.every((receiver) =>
          receiver.role === ReceiverRole.FAILING
            ? receiver.received.length >= expectedPosts(receiver)
            : distinctIds(receiver) >= events,
        ),
      deadline,
      100,
    );
    // The last attempts are recorded after their answer (the slow one's 5 s later).
    let logs: DeliveryLogCounts[] = [];
    const settled = await until(
      async () => {
        logs = await Promise.all(endpoints.map((endpoint) => partner.deliveryLog(endpoint.id)));
        return logs.every((log) => log.total === events && !log.byStatus.pending);
      },
      deadline,
      500,
    );
    return {
      produced,
      drained: received && settled,
      endedSeconds: (Date.now() - producedAt) / 1000,
      load: [loadAtStart, loadavg()[0] ?? 0],
      receivers: receivers.map((receiver, index) => ({
        role: receiver.role,
        answers: receiver.answers,
        arrivals: receiver.received.map(arrivalOf),
        log: logs[index] ?? { total: 0, byStatus: {}, byAttempts: {} },
        signatures: signaturesOf(
          receiver,
          (endpoints[index] as AddedEndpoint).secret,
          settings.signatureSample,
        ),
      })),
    };
  } finally {
    await phase.close();
    await Promise.all(receivers.map((receiver) => receiver.stop()));
  }
};

/** One setup's rounds as one: arrivals pooled (event ids are unique across rounds), logs summed. */
const pooled = (name: SetupName, rounds: readonly Round[], events: number): WebhookRun => ({
  name,
  produced: {
    seconds: rounds.reduce((sum, round) => sum + round.produced.seconds, 0),
    created: rounds.reduce((sum, round) => sum + round.produced.created, 0),
  },
  drained: rounds.every((round) => round.drained),
  endedSeconds: Math.max(...rounds.map((round) => round.endedSeconds)),
  rounds: rounds.map((round) => ({
    load: round.load,
    healthyLatencyMs: summarizeArrivals(
      round.receivers.find((receiver) => receiver.role === ReceiverRole.HEALTHY)?.arrivals ?? [],
      0,
    ).latencyMs,
  })),
  receivers: ROLES[name].map((role, index) => {
    const ofRole = rounds.map((round) => round.receivers[index] as RoundReceiver);
    return {
      role,
      answers: ofRole[0]?.answers ?? '',
      arrivals: summarizeArrivals(
        ofRole.flatMap((receiver) => receiver.arrivals),
        events,
      ),
      log: sumLogs(ofRole.map((receiver) => receiver.log)),
      signatures: {
        checked: ofRole.reduce((sum, receiver) => sum + receiver.signatures.checked, 0),
        verified: ofRole.reduce((sum, receiver) => sum + receiver.signatures.verified, 0),
      },
    };
  }),
});

/**
 * The healthy receiver alone and beside the slow and the failing one, `rounds` rounds each,
 * interleaved (alone, beside, beside, alone, …), each round on a fresh stack.
 */
export const measureWebhookDelivery = async (settings: WebhookSettings): Promise<WebhookResult> => {
  const perRound = Math.ceil(settings.events / settings.rounds);
  const rounds: Record<SetupName, Round[]> = { [Setup.ALONE]: [], [Setup.BESIDE]: [] };
  for (const name of interleavedOrder([Setup.ALONE, Setup.BESIDE], settings.rounds)) {
    rounds[name].push(await runRound(ROLES[name], settings, perRound));
  }
  const events = perRound * settings.rounds;
  return {
    settings: { ...settings, events },
    runs: [
      pooled(Setup.ALONE, rounds[Setup.ALONE], events),
      pooled(Setup.BESIDE, rounds[Setup.BESIDE], events),
    ],
  };
};

/** `npx tsx bench/webhook-delivery.ts [events]`: this phase alone, with its section. */
if (import.meta.url === `file://${process.argv[1]}`) {
  const { webhookSection } = await import('./report.ts');
  const events = process.argv[2] ? Number(process.argv[2]) : WEBHOOK_SETTINGS.events;
  const startedAt = performance.now();
  console.log(webhookSection(await measureWebhookDelivery({ ...WEBHOOK_SETTINGS, events })));
  console.log(`${((performance.now() - startedAt) / 1000).toFixed(0)} s`);
}
