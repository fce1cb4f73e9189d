/**
 * Child process of the per-request cost phase: a local stack with a short activation timeout,
 * a counting proxy in front of dynalite, and one real request per outcome, run one after the
 * other so every count belongs to exactly one outcome.
 */
import { type InvocationRecord, observeInvocations } from '../local/lambda-registry.ts';
import { startStack } from '../local/stack.ts';
import { decide, fetchPage } from '../test/support/customer.ts';
import {
  activationLink,
  executionArnOf,
  partnerClient,
  sentMail,
  waitFor,
} from '../test/support/local-stack.ts';
import { type MeteredCall, meterDynamoDb } from './dynamo-meter.ts';
import { servePhase } from './phase-process.ts';
import { benchRequest } from './requests.ts';
import { countCalls, portOf } from './sdk-calls.ts';

export const OUTCOMES = ['activated', 'declined', 'cancelled', 'reminded', 'expired'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** `reminded`: activated after every reminder went out, the costliest way to a decision. */
const EXPECTED_STATUS: Record<Outcome, string> = {
  activated: 'ACTIVE',
  declined: 'DECLINED',
  cancelled: 'CANCELLED',
  reminded: 'ACTIVE',
  expired: 'EXPIRED',
};

export interface OutcomeMeasurement {
  readonly outcome: Outcome;
  readonly requestStatus: string;
  readonly executionStatus: string;
  /** `<Type>StateEntered` events in the execution history, in order. */
  readonly statesEntered: readonly string[];
  readonly invocations: readonly { readonly module: string; readonly durationMs: number }[];
  readonly dynamo: readonly MeteredCall[];
  /** SES messages (one SendEmail each) and recipients (what SES bills). */
  readonly emailMessages: number;
  readonly emailRecipients: number;
  readonly apiRequests: number;
}

export interface CostStackInfo {
  readonly activationTimeoutSeconds: number;
  readonly reminderOffsetsSeconds: readonly number[];
}

/** Short, so `expired` takes seconds, yet long enough for the others to finish first. */
const ACTIVATION_TIMEOUT_SECONDS = Number(process.argv[2] ?? 6);
/**
 * Three reminders, as the default (60, 30 and 7 days of 90) has, on the short timeout: `expired`
 * and `reminded` get all three, the other outcomes are decided before the first.
 */
const REMINDER_OFFSETS_SECONDS = [4, 2, 1];
const PARTNER_KEY = `sak_bench_${process.pid}_partner_key_for_the_cost_phase`;

const meter = meterDynamoDb();
const stack = await startStack({
  partnerKeys: [PARTNER_KEY],
  activationTimeoutSeconds: ACTIVATION_TIMEOUT_SECONDS,
  reminderOffsetsSeconds: REMINDER_OFFSETS_SECONDS,
  logLevel: 'WARN',
});

const apiCounter = countCalls(new Map([[portOf(stack.apiUrl), 'api']]), new Map());
let invocations: InvocationRecord[] = [];
observeInvocations((record) => invocations.push(record));

const partner = partnerClient(stack, PARTNER_KEY);
/** The customer opens the link, then submits the page's form, as a browser would. */
const answer = async (link: string, decision: 'activate' | 'decline'): Promise<void> => {
  const page = await fetchPage(link);
  if (page.status !== 200) throw new Error(`Activation page answered ${page.status}`);
  const posted = await decide({ link }, decision);
  if (posted.status !== 200) throw new Error(`Posting ${decision} answered ${posted.status}`);
};

const runOutcome = async (outcome: Outcome): Promise<OutcomeMeasurement> => {
  const mailBefore = await sentMail(stack);
  meter.reset();
  apiCounter.reset();
  invocations = [];

  const body = benchRequest(`cost-${outcome}`);
  const created = await partner.create(body);
  if (created.status !== 202) throw new Error(`Create answered ${created.status}: ${created.text}`);
  const requestId = created.body.id as string;
  const link = await activationLink(stack, body.customerEmail);
  if (outcome === 'activated') await answer(link, 'activate');
  if (outcome === 'declined') await answer(link, 'decline');
  if (outcome === 'reminded') {
    // Watched in the local SES store, not through the API: nothing the request is billed for.
    await waitFor(
      async () =>
        (await sentMail(stack)).filter(
          (mail) =>
            mail.destination.to.includes(body.customerEmail) && mail.subject.startsWith('Reminder'),
        ).length === REMINDER_OFFSETS_SECONDS.length,
      'every reminder',
      ACTIVATION_TIMEOUT_SECONDS * 1000,
    );
    await answer(link, 'activate');
  }
  if (outcome === 'cancelled') {
    const cancelled = await partner.cancel(requestId);
    if (cancelled.status !== 200) throw new Error(`Cancel answered ${cancelled.status}`);
  }
  const executionArn = executionArnOf(stack, requestId);
  const executionStatus = await waitFor(
    async () => {
      const { status } = stack.stepFunctions.describeExecution({ executionArn });
      return status !== 'RUNNING' && status;
    },
    `the ${outcome} execution to end`,
    (ACTIVATION_TIMEOUT_SECONDS + 10) * 1000,
  );

  const measured = {
    statesEntered: stack.stepFunctions
      .getExecutionHistory({ executionArn })
      .events.filter((event) => event.type.endsWith('StateEntered'))
      .map((event) => event.stateEnteredEventDetails?.name ?? event.type),
    invocations: invocations.map(({ module, durationMs }) => ({ module, durationMs })),
    dynamo: meter.calls(),
    apiRequests: apiCounter.snapshot().requests.api ?? 0,
  };
  const newMail = (await sentMail(stack)).slice(mailBefore.length);
  const requestStatus = (await partner.get(requestId)).body?.status as string;
  return {
    outcome,
    requestStatus,
    executionStatus,
    ...measured,
    emailMessages: newMail.length,
    emailRecipients: newMail.reduce((sum, mail) => sum + mail.destination.to.length, 0),
  };
};

const run = async (): Promise<OutcomeMeasurement[]> => {
  // Loads every handler module and builds its clients: the measured requests are warm.
  await runOutcome('activated');
  const results: OutcomeMeasurement[] = [];
  for (const outcome of OUTCOMES) {
    const result = await runOutcome(outcome);
    if (result.requestStatus !== EXPECTED_STATUS[outcome]) {
      throw new Error(
        `The ${outcome} request ended ${result.requestStatus} (execution ${result.executionStatus}, states ${result.statesEntered.join(' > ')})`,
      );
    }
    results.push(result);
  }
  return results;
};

servePhase(
  {
    activationTimeoutSeconds: ACTIVATION_TIMEOUT_SECONDS,
    reminderOffsetsSeconds: REMINDER_OFFSETS_SECONDS,
  } satisfies CostStackInfo,
  { run },
  async () => {
    observeInvocations(undefined);
    apiCounter.stop();
    await stack.stop();
    meter.stop();
  },
);
