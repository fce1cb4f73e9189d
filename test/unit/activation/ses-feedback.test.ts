import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { SendTaskFailureCommand, SFNClient, TaskTimedOut } from '@aws-sdk/client-sfn';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../../local/lambda-context.ts';
import { aRequest } from '../../support/in-memory-stores.ts';

/** events/ses-feedback at the SDK boundary: DynamoDB and Step Functions are mocked. */
const documents = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);

let handler: (event: unknown) => Promise<{ failed: boolean }>;

beforeAll(async () => {
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('TABLE_NAME', 'requests');
  vi.stubEnv('STATE_MACHINE_ARN', 'arn:aws:states:us-east-1:000000000000:stateMachine:sar');
  // The module builds its adapters on import, as a Lambda container does.
  const feedback = await import('../../../functions/events/ses-feedback.ts');
  handler = (event) => feedback.handler(event, lambdaContext('events-ses-feedback'));
});

afterAll(() => {
  documents.restore();
  sfn.restore();
});

beforeEach(() => {
  documents.reset();
  sfn.reset();
  sfn.onAnyCommand().resolves({});
  // The close reads whose request it is first (the bounce names only the request).
  documents.on(GetCommand).resolves({ Item: { ...pendingWithToken } });
});

const event = (
  detail: {
    eventType?: string;
    bounceType?: string;
    bounceSubType?: string;
    tags?: Record<string, string[]>;
  } = {},
) => ({
  'detail-type': 'Email Bounced',
  source: 'aws.ses',
  detail: {
    eventType: detail.eventType ?? 'Bounce',
    bounce: {
      bounceType: detail.bounceType ?? 'Permanent',
      bounceSubType: detail.bounceSubType ?? 'Suppressed',
      bouncedRecipients: [{ emailAddress: 'it@acme.example' }],
    },
    mail: {
      messageId: 'message-1',
      tags: detail.tags ?? { requestId: ['sar_01TEST'], purpose: ['activation'] },
    },
  },
});

const pendingWithToken = aRequest({ taskToken: 'task-token-1' });

/**
 * What an ignored bounce writes: one `email.bounced` entry in the request's timeline, with the
 * address masked, and nothing about the request itself.
 */
const expectOnlyTheTimelineEntry = (kind: string) => {
  expect(documents.commandCalls(UpdateCommand)).toHaveLength(0);
  const puts = documents.commandCalls(PutCommand);
  expect(puts).toHaveLength(1);
  const item = puts[0]?.args[0].input.Item;
  expect(item?.PK).toBe('REQUEST#sar_01TEST');
  expect(String(item?.SK)).toMatch(/^EVENT#/);
  expect(item?.entry).toMatchObject({ type: 'email.bounced', data: { kind } });
  expect(JSON.stringify(item)).not.toContain('it@acme.example');
};

/** The values the one update of the request item writes (its status, its reason). */
const writtenValues = () => {
  const updates = documents.commandCalls(UpdateCommand);
  expect(updates).toHaveLength(1);
  expect(updates[0]?.args[0].input.Key).toEqual({ PK: 'REQUEST#sar_01TEST', SK: 'REQUEST' });
  return Object.values(updates[0]?.args[0].input.ExpressionAttributeValues ?? {});
};

describe('an SES bounce or complaint for the activation e-mail', () => {
  it('fails the request on a permanent bounce and ends the workflow’s wait', async () => {
    documents.on(UpdateCommand).resolves({ Attributes: { ...pendingWithToken, status: 'FAILED' } });

    const result = await handler(event());

    expect(result).toEqual({ failed: true });
    expect(writtenValues()).toEqual(
      expect.arrayContaining(['FAILED', 'Bounce:Permanent:Suppressed']),
    );
    expect(sfn).toHaveReceivedCommandWith(SendTaskFailureCommand, {
      taskToken: 'task-token-1',
      error: 'RequestClosed',
      cause: 'FAILED',
    });
  });

  it('fails the request on a complaint', async () => {
    documents.on(UpdateCommand).resolves({ Attributes: { ...pendingWithToken, status: 'FAILED' } });

    const result = await handler({
      detail: {
        eventType: 'Complaint',
        mail: { messageId: 'm', tags: { requestId: ['sar_01TEST'], purpose: ['activation'] } },
      },
    });

    expect(result).toEqual({ failed: true });
    expect(writtenValues()).toEqual(expect.arrayContaining(['FAILED', 'Complaint']));
  });

  it('ignores a transient bounce: the mailbox may still accept a later delivery', async () => {
    const result = await handler(event({ bounceType: 'Transient', bounceSubType: 'MailboxFull' }));

    expect(result).toEqual({ failed: false });
    expectOnlyTheTimelineEntry('activation');
    expect(sfn.calls()).toHaveLength(0);
  });

  it.each([
    [
      'an outcome e-mail',
      { requestId: ['sar_01TEST'], purpose: ['activated_user'] },
      'activated_user',
    ],
    ['a mail without a purpose', { requestId: ['sar_01TEST'] }, 'unknown'],
  ])('ignores a bounce of %s, noting it in the timeline', async (_what, tags, kind) => {
    const result = await handler(event({ tags }));

    expect(result).toEqual({ failed: false });
    expectOnlyTheTimelineEntry(kind);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('ignores a bounce of a mail without our tags altogether', async () => {
    const result = await handler(event({ tags: {} }));

    expect(result).toEqual({ failed: false });
    expect(documents.calls()).toHaveLength(0);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('ignores an event of another shape (e.g. a delivery)', async () => {
    await expect(handler({ detail: { eventType: 'Delivery' } })).resolves.toEqual({
      failed: false,
    });
    await expect(handler('not an event')).resolves.toEqual({ failed: false });
    expect(documents.calls()).toHaveLength(0);
  });

  it('changes nothing when the request was already decided', async () => {
    documents
      .on(UpdateCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }));
    documents.on(GetCommand).resolves({ Item: { ...pendingWithToken, status: 'ACTIVE' } });

    const result = await handler(event());

    expect(result).toEqual({ failed: false });
    expect(sfn.calls()).toHaveLength(0);
  });

  it('does not throw when the wait already ended (stale task token)', async () => {
    documents.on(UpdateCommand).resolves({ Attributes: { ...pendingWithToken, status: 'FAILED' } });
    sfn
      .on(SendTaskFailureCommand)
      .rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }));

    await expect(handler(event())).resolves.toEqual({ failed: true });
  });
});
