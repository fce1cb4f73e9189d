import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultInjector } from '../../local/faults.ts';
import type { RunningStack } from '../../local/stack.ts';
import { createPending, decide, headingOf, type Pending } from '../support/customer.ts';
import {
  executionArnOf,
  type PartnerClient,
  partnerClient,
  startTestStack,
  statusBecomes,
  waitFor,
} from '../support/local-stack.ts';
import { executionNames, faultSignalsOf, mailsAbout, PARTNER_ONE, requestItem } from './support.ts';

/**
 * The sweep completes what a failure left half-done (functions/domain/sweep.ts): a decision or
 * cancel whose signal never reached the execution, an execution that died. The activation
 * timeout is long here, so nothing but the sweep (every second) can settle these requests.
 */
const SWEEP_SECONDS = 1;
/**
 * A closed request is first looked at 10 s after the close (SweepDelay.AFTER_CLOSE_SECONDS),
 * settled by the next pass or two; the margin covers a loaded machine (a run beside other
 * work took 15 s).
 */
const WITHIN_ONE_LOOK_MS = (10 + 8 * SWEEP_SECONDS) * 1000;

let stack: RunningStack;
let faults: FaultInjector;
let partner: PartnerClient;

beforeAll(async () => {
  stack = await startTestStack({
    faults: true,
    activationTimeoutSeconds: 3600,
    sweepIntervalSeconds: SWEEP_SECONDS,
  });
  faults = stack.faults as FaultInjector;
  partner = partnerClient(stack, stack.partnerKeys[0]);
});

afterAll(async () => {
  await stack?.stop();
});

/** Step Functions answers unavailable to this request's signal (the SDK's three attempts). */
const stepFunctionsDownFor = (pending: Pending, operation: string) =>
  faultSignalsOf(stack, faults, pending.id, {
    operation,
    // The sweep's signal, later, goes through.
    times: 3,
    action: { kind: 'error', name: 'ServiceUnavailable', status: 503 },
  });

const activatedMails = (pending: Pending) =>
  [
    `${pending.body.customerEmail}: activation`,
    `${PARTNER_ONE}: activated`,
    ...(pending.body.userEmails as string[]).map((user) => `${user}: access`),
  ].sort();

const settled = (pending: Pending) =>
  waitFor(
    async () => (await requestItem(stack, pending.id))?.notifiedStatus,
    `${pending.id} to be settled`,
    WITHIN_ONE_LOOK_MS,
  );

describe.concurrent('the sweep completes what a failure left half-done', () => {
  it('settles an activation whose SendTaskSuccess failed, with the outcome e-mails once', async () => {
    const pending = await createPending(stack, partner);
    const outage = await stepFunctionsDownFor(pending, 'SendTaskSuccess');

    const page = await decide(pending, 'activate');
    // The decision is stored: the customer is told so, not asked to try again.
    expect(page.status).toBe(200);
    expect(headingOf(page.html)).toBe('Smart Account activated');
    expect(outage.spent).toBe(true);
    expect((await requestItem(stack, pending.id))?.notifiedStatus).toBeUndefined();

    expect(await settled(pending)).toBe('ACTIVE');
    expect(await mailsAbout(stack, pending.body.accountDomain)).toEqual(activatedMails(pending));
    // Repaired by signalling the one execution it had: no second execution.
    expect(executionNames(stack).filter((name) => name.startsWith(pending.id))).toEqual([
      pending.id,
    ]);
  });

  it('settles a cancel whose SendTaskFailure failed: 200 to the partner, one withdrawal', async () => {
    const pending = await createPending(stack, partner);
    await stepFunctionsDownFor(pending, 'SendTaskFailure');

    const cancelled = await partner.cancel(pending.id);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('CANCELLED');

    expect(await settled(pending)).toBe('CANCELLED');
    expect(await mailsAbout(stack, pending.body.accountDomain)).toEqual(
      [
        `${pending.body.customerEmail}: activation`,
        `${pending.body.customerEmail}: withdrawn`,
      ].sort(),
    );
  });

  it('starts a new execution to settle a decision whose execution is gone', async () => {
    const pending = await createPending(stack, partner);
    // The execution is gone (a crash of the local stack takes its executions with it), so
    // the decision's signal finds no wait: what a kill between the write and the signal leaves.
    stack.stepFunctions.stopExecution({ executionArn: executionArnOf(stack, pending.id) });
    expect(headingOf((await decide(pending, 'activate')).html)).toBe('Smart Account activated');

    expect(await settled(pending)).toBe('ACTIVE');
    expect(executionNames(stack)).toContain(`${pending.id}-2`);
    expect((await requestItem(stack, pending.id))?.executionAttempt).toBe(2);
    expect(await mailsAbout(stack, pending.body.accountDomain)).toEqual(activatedMails(pending));
  });
});

describe('a pending request whose execution is gone', () => {
  it('gets a new wait from the sweep, without a second activation e-mail', async () => {
    const pending = await createPending(stack, partner);
    stack.stepFunctions.stopExecution({ executionArn: executionArnOf(stack, pending.id) });

    // What the local stack's start does for every pending request.
    await stack.sweep({ everything: true });

    await waitFor(
      async () => (await requestItem(stack, pending.id))?.executionAttempt === 2,
      'a second execution',
    );
    const restarted = await waitFor(
      async () =>
        stack.stepFunctions
          .listExecutions()
          .executions.find((e) => e.name === `${pending.id}-2` && e.status === 'RUNNING'),
      'the new execution to wait',
    );
    expect(restarted).toBeDefined();
    // The link mailed before still opens the request, and nobody was mailed again.
    expect(headingOf((await decide(pending, 'activate')).html)).toBe('Smart Account activated');
    await statusBecomes(partner, pending.id, 'ACTIVE');
    await settled(pending);
    expect(await mailsAbout(stack, pending.body.accountDomain)).toEqual(activatedMails(pending));
  });
});
