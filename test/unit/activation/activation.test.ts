import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SesMailer } from '../../../functions/adapters/ses-mailer.ts';
import { SfnWorkflow } from '../../../functions/adapters/sfn-workflow.ts';
import {
  ActivationDecisions,
  DecisionResult,
} from '../../../functions/domain/activation-decisions.ts';
import { ActivationMail } from '../../../functions/domain/activation-mail.ts';
import { Notifications } from '../../../functions/domain/notifications.ts';
import type { SmartAccountRequest } from '../../../functions/domain/smart-account-request.ts';
import { deriveActivationCode, sha256 } from '../../../functions/shared/crypto.ts';
import {
  NotFound,
  NotPending,
  RequestClosed,
  TooManyRequests,
} from '../../../functions/shared/errors.ts';
import { aRequest, InMemoryRequestStore } from '../../support/in-memory-stores.ts';

const sfnClient = new SFNClient({ region: 'us-east-1' });
const sesClient = new SESv2Client({ region: 'us-east-1' });
const sfn = mockClient(sfnClient);
const ses = mockClient(sesClient);

const SECRET = 'unit-test-secret';
const BASE_URL = 'https://accounts.example';
const TOKEN = 'task-token-1';
const NONCE = 'nonce-1';

let store: InMemoryRequestStore;
let decisions: ActivationDecisions;
let mail: ActivationMail;

const codeFor = (request: SmartAccountRequest, nonce = NONCE) =>
  deriveActivationCode(SECRET, request.id, nonce);

/** A request whose activation e-mail went out: token, nonce and code hash stored. */
const waiting = (overrides: Partial<SmartAccountRequest> = {}) => {
  const request = aRequest({ taskToken: TOKEN, codeNonce: NONCE, ...overrides });
  const code = codeFor(request);
  store.put({ ...request, codeHash: sha256(code) });
  return { request, code };
};

const sentLinks = () =>
  ses
    .commandCalls(SendEmailCommand)
    .map((call) => call.args[0].input.Content?.Simple?.Body?.Text?.Data ?? '')
    .map((text) => /https:\/\/\S+\/activate\/[A-Za-z0-9_-]+/.exec(text)?.[0]);

beforeEach(() => {
  sfn.reset();
  ses.reset();
  sfn.onAnyCommand().resolves({});
  ses.on(SendEmailCommand).resolves({ MessageId: 'message-1' });
  store = new InMemoryRequestStore();
  decisions = new ActivationDecisions(
    store,
    new SfnWorkflow(sfnClient, 'arn:aws:states:::stateMachine:x'),
  );
  mail = new ActivationMail(
    store,
    new Notifications(new SesMailer(sesClient, 'no-reply@accounts.example')),
    { secret: async () => SECRET, publicBaseUrl: () => BASE_URL },
  );
});

describe('deciding on an activation link', () => {
  it('activates the request and resumes the workflow with its task token', async () => {
    const { request, code } = waiting();

    const outcome = await decisions.decide(code, 'activate');

    expect(outcome?.result).toBe(DecisionResult.DECIDED);
    expect(outcome?.request.status).toBe('ACTIVE');
    expect(outcome?.request.activatedAt).not.toBeNull();
    expect((await store.get(request.id))?.status).toBe('ACTIVE');
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, {
      taskToken: TOKEN,
      output: JSON.stringify({ status: 'ACTIVE' }),
    });
    expect(sfn).not.toHaveReceivedCommand(SendTaskFailureCommand);
  });

  it('declines the request and ends the wait with RequestClosed', async () => {
    const { request, code } = waiting();

    const outcome = await decisions.decide(code, 'decline');

    expect(outcome?.result).toBe(DecisionResult.DECIDED);
    expect((await store.get(request.id))?.status).toBe('DECLINED');
    expect((await store.get(request.id))?.closeReason).toBe('DeclinedByCustomer');
    expect(sfn).toHaveReceivedCommandWith(SendTaskFailureCommand, {
      taskToken: TOKEN,
      error: 'RequestClosed',
      cause: 'DECLINED',
    });
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
  });

  it('tells a repeated activation what already happened without signalling a settled workflow', async () => {
    const { code } = waiting({ status: 'ACTIVE', notifiedStatus: 'ACTIVE' });

    const outcome = await decisions.decide(code, 'activate');

    expect(outcome?.result).toBe(DecisionResult.ALREADY_CLOSED);
    expect(outcome?.request.status).toBe('ACTIVE');
    expect(sfn.calls()).toHaveLength(0);
  });

  it('signals again when the first activation has not been settled yet (a lost signal)', async () => {
    const { code } = waiting({ status: 'ACTIVE' });

    const outcome = await decisions.decide(code, 'activate');

    expect(outcome?.result).toBe(DecisionResult.ALREADY_CLOSED);
    expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, { taskToken: TOKEN });
  });

  it.each(['EXPIRED', 'CANCELLED', 'FAILED'] as const)(
    'does not touch the workflow when the request was already %s',
    async (status) => {
      const { request, code } = waiting({ status });

      const outcome = await decisions.decide(code, 'activate');

      expect(outcome?.result).toBe(DecisionResult.ALREADY_CLOSED);
      expect(outcome?.request.status).toBe(status);
      expect((await store.get(request.id))?.status).toBe(status);
      expect(sfn.calls()).toHaveLength(0);
    },
  );

  it.each([
    ['TaskTimedOut', () => new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} })],
    ['InvalidToken', () => new InvalidToken({ message: 'Invalid Token', $metadata: {} })],
  ])(
    'keeps the activation when Step Functions answers %s (the timer fired first)',
    async (_name, error) => {
      sfn.on(SendTaskSuccessCommand).rejects(error());
      const { request, code } = waiting();

      const outcome = await decisions.decide(code, 'activate');

      expect(outcome?.result).toBe(DecisionResult.DECIDED);
      expect((await store.get(request.id))?.status).toBe('ACTIVE');
      expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    },
  );

  it('handles a stale token on the decline path too', async () => {
    sfn.on(SendTaskFailureCommand).rejects(new TaskTimedOut({ message: 'x', $metadata: {} }));
    const { code } = waiting();

    await expect(decisions.decide(code, 'decline')).resolves.toMatchObject({
      result: DecisionResult.DECIDED,
    });
  });

  it('answers an unknown code with nothing and writes nothing', async () => {
    waiting();

    const outcome = await decisions.decide(codeFor(aRequest(), 'another-nonce'), 'activate');

    expect(outcome).toBeUndefined();
    expect(store.calls.filter((call) => call.startsWith('close'))).toEqual([]);
    expect(sfn.calls()).toHaveLength(0);
  });
});

const WAIT_SECONDS = 7_776_000;

describe('mailing the activation link', () => {
  it('stores the task token and the code hash, then mails a link whose code is never stored', async () => {
    const request = aRequest();
    store.put(request);

    await mail.sendForWait(request.id, TOKEN, WAIT_SECONDS);

    const stored = await store.get(request.id);
    expect(stored?.taskToken).toBe(TOKEN);
    const [link] = sentLinks();
    const code = link?.split('/').at(-1) ?? '';
    expect(link).toBe(`${BASE_URL}/activate/${code}`);
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(stored?.codeHash).toBe(sha256(code));
    expect(JSON.stringify([...store.requests.values()])).not.toContain(code);
    expect(ses).toHaveReceivedCommandWith(SendEmailCommand, {
      Destination: { ToAddresses: ['it@acme.example'] },
      EmailTags: [
        { Name: 'requestId', Value: request.id },
        { Name: 'purpose', Value: 'activation' },
      ],
    });
    const text = ses.commandCalls(SendEmailCommand)[0]?.args[0].input.Content?.Simple?.Body?.Text;
    expect(text?.Data).not.toContain(TOKEN);
  });

  it('mails nothing on a later wait once the e-mail went out: it only stores the new token', async () => {
    const request = aRequest();
    store.put(request);

    await mail.sendForWait(request.id, 'token-wait-1', WAIT_SECONDS);
    await mail.sendForWait(request.id, 'token-wait-2', WAIT_SECONDS);

    expect(sentLinks()).toHaveLength(1);
    expect((await store.get(request.id))?.taskToken).toBe('token-wait-2');
  });

  it('mails the same link on a retry after a send that failed', async () => {
    const request = aRequest();
    store.put(request);
    ses
      .on(SendEmailCommand)
      .rejectsOnce(Object.assign(new Error('throttled'), { name: 'TooManyRequestsException' }))
      .resolves({ MessageId: 'message-2' });

    await expect(mail.sendForWait(request.id, 'token-attempt-1', WAIT_SECONDS)).rejects.toThrow();
    await mail.sendForWait(request.id, 'token-attempt-2', WAIT_SECONDS);

    const [failed, retried] = sentLinks();
    expect(retried).toBe(failed);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(2);
    expect((await store.get(request.id))?.activationSentAt).toBeDefined();
  });

  it('plans the wake it was given and tells the sweep when to look if it does not wake', async () => {
    const request = aRequest();
    store.put(request);
    const now = new Date('2026-12-01T10:00:00.000Z');

    await mail.sendForWait(request.id, TOKEN, 3600, now);

    expect(await store.get(request.id)).toMatchObject({
      wakeAt: '2026-12-01T11:00:00.000Z',
      sweepAt: '2026-12-01T11:15:00.000Z',
      activationSentAt: now.toISOString(),
    });
  });

  it('does not mail a request that was closed before the workflow reached it', async () => {
    const request = aRequest({ status: 'CANCELLED' });
    store.put(request);

    await expect(mail.sendForWait(request.id, TOKEN, WAIT_SECONDS)).rejects.toBeInstanceOf(
      RequestClosed,
    );
    expect(ses.calls()).toHaveLength(0);
  });

  it('throws NotFound for a request that does not exist', async () => {
    await expect(mail.sendForWait('sar_missing', TOKEN, WAIT_SECONDS)).rejects.toBeInstanceOf(
      NotFound,
    );
  });
});

describe('resending the activation e-mail', () => {
  it('mails the link of the first e-mail again, at most five times', async () => {
    const request = aRequest();
    store.put(request);
    await mail.sendForWait(request.id, TOKEN, WAIT_SECONDS);

    for (let i = 0; i < 5; i++) await mail.resend(request.partnerId, request.id, 5);

    await expect(mail.resend(request.partnerId, request.id, 5)).rejects.toBeInstanceOf(
      TooManyRequests,
    );
    const links = sentLinks();
    expect(links).toHaveLength(6);
    expect(new Set(links).size).toBe(1);
  });

  it('refuses a request that is no longer pending', async () => {
    waiting({ status: 'ACTIVE' });

    await expect(mail.resend('partner-1', 'sar_01TEST', 5)).rejects.toBeInstanceOf(NotPending);
    expect(ses.calls()).toHaveLength(0);
  });

  it('hides another partner’s request as not found', async () => {
    waiting();

    await expect(mail.resend('partner-2', 'sar_01TEST', 5)).rejects.toBeInstanceOf(NotFound);
    expect(ses.calls()).toHaveLength(0);
  });

  it('accepts a resend before the first e-mail went out without counting or sending it', async () => {
    const request = aRequest();
    store.put(request);

    const answered = await mail.resend(request.partnerId, request.id, 5);

    expect(answered).toMatchObject({ id: request.id, status: 'PENDING_ACTIVATION' });
    expect(ses.calls()).toHaveLength(0);
    expect((await store.get(request.id))?.resendCount).toBe(0);
    await mail.sendForWait(request.id, TOKEN, WAIT_SECONDS);
    for (let i = 0; i < 5; i++) await mail.resend(request.partnerId, request.id, 5);
    expect(sentLinks()).toHaveLength(6);
  });
});
