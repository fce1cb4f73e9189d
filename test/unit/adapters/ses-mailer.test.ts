import {
  AccountSuspendedException,
  MessageRejected,
  SESv2Client,
  SendEmailCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SesMailer } from '../../../functions/adapters/ses-mailer.ts';
import {
  DependencyUnavailable,
  EmailRejected,
  EmailThrottled,
} from '../../../functions/shared/errors.ts';

const client = new SESv2Client({ region: 'us-east-1' });
const ses = mockClient(client);
const mailer = new SesMailer(client, 'no-reply@accounts.example');
const ADDRESS = 'it@acme.example';
const email = { to: [ADDRESS], subject: 'Hello', text: 'Hello', html: '<p>Hello</p>' };

/** SES quotes the recipient in its messages; none of it may reach the error (and the logs). */
const quoting = <T extends Error>(error: T): T =>
  Object.assign(error, { $metadata: { requestId: 'ses-request-1' } });

const failureOf = (promise: Promise<unknown>) => promise.catch((caught: unknown) => caught);

beforeEach(() => {
  ses.reset();
});

describe('what SES refusals become', () => {
  it.each([
    [
      'MessageRejected',
      () => new MessageRejected({ message: `Rejected: ${ADDRESS}`, $metadata: {} }),
    ],
    [
      'AccountSuspendedException',
      () => new AccountSuspendedException({ message: `Suspended: ${ADDRESS}`, $metadata: {} }),
    ],
  ])('%s is EmailRejected: no retry delivers it', async (_name, error) => {
    ses.on(SendEmailCommand).rejects(quoting(error()));

    const thrown = await failureOf(mailer.send(email));

    expect(thrown).toBeInstanceOf(EmailRejected);
    expect(thrown).not.toBeInstanceOf(DependencyUnavailable);
    expect(JSON.stringify({ thrown, cause: (thrown as Error).cause })).not.toContain(ADDRESS);
    expect((thrown as Error).cause).toEqual({ name: _name, requestId: 'ses-request-1' });
  });

  it.each([
    [
      'throttling',
      () => new TooManyRequestsException({ message: `Slow down: ${ADDRESS}`, $metadata: {} }),
    ],
    [
      'a fault on its side',
      () =>
        Object.assign(new Error(`Internal error for ${ADDRESS}`), {
          name: 'InternalFailure',
          $metadata: { httpStatusCode: 500 },
        }),
    ],
    [
      'a refused connection',
      () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    ],
  ])('%s is EmailThrottled, a DependencyUnavailable of SES', async (_what, error) => {
    ses.on(SendEmailCommand).rejects(quoting(error()));

    const thrown = await failureOf(mailer.send(email));

    expect(thrown).toBeInstanceOf(EmailThrottled);
    expect(thrown).toBeInstanceOf(DependencyUnavailable);
    expect(thrown).toMatchObject({ name: 'EmailThrottled', dependency: 'SES' });
    expect(JSON.stringify({ thrown, cause: (thrown as Error).cause })).not.toContain(ADDRESS);
  });

  it('lets any other error through under its own name, without the message that names the address', async () => {
    ses.on(SendEmailCommand).rejects(
      quoting(
        Object.assign(new Error(`User is not authorized to send to ${ADDRESS}`), {
          name: 'AccessDeniedException',
          $metadata: { httpStatusCode: 403 },
        }),
      ),
    );

    const thrown = (await failureOf(mailer.send(email))) as Error;

    expect(thrown.name).toBe('AccessDeniedException');
    expect(thrown).not.toBeInstanceOf(DependencyUnavailable);
    expect(thrown).not.toBeInstanceOf(EmailRejected);
    expect(`${thrown.message} ${JSON.stringify(thrown.cause)}`).not.toContain(ADDRESS);
  });
});
