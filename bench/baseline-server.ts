import { createServer, type IncomingMessage, type Server } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../functions/adapters/table-keys.ts';
import { newRequestId } from '../functions/shared/crypto.ts';

export interface BaselineOptions {
  readonly tableName: string;
  readonly stateMachineArn: string;
  readonly partnerId: string;
  readonly partnerName: string;
  readonly activationTimeoutSeconds: number;
}

const readBody = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });

/**
 * The bare necessary work of a create, and nothing else: parse the JSON body, the same two
 * conditional writes (domain lock, then request item with the same attributes), the same
 * StartExecution, a 202 with the item. Same SDK clients, built the same way as
 * functions/adapters/clients.ts, against the same dynalite and Step Functions endpoints. No
 * validation, no authorizer, no middleware, no logging: the yardstick for the API's overhead.
 */
export const createBaselineServer = (options: BaselineOptions): Server => {
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const sfn = new SFNClient({});

  const create = async (request: IncomingMessage): Promise<Record<string, unknown>> => {
    const input = JSON.parse(await readBody(request)) as Record<string, unknown>;
    const id = newRequestId();
    const now = new Date();
    const createdAt = now.toISOString();
    const item = {
      id,
      partnerId: options.partnerId,
      partnerName: options.partnerName,
      accountName: input.accountName,
      accountDomain: input.accountDomain,
      customerEmail: input.customerEmail,
      noteToCustomer: input.noteToCustomer,
      userEmails: input.userEmails ?? [],
      noteToUsers: input.noteToUsers,
      locale: input.locale ?? 'en',
      status: 'PENDING_ACTIVATION',
      createdAt,
      expiresAt: new Date(now.getTime() + options.activationTimeoutSeconds * 1000).toISOString(),
      activatedAt: null,
      closedAt: null,
      closeReason: null,
      history: [{ status: 'PENDING_ACTIVATION', at: createdAt }],
      resendCount: 0,
    };
    await documents.send(
      new PutCommand({
        TableName: options.tableName,
        Item: {
          ...keys.domainLock(String(input.accountDomain)),
          entity: 'DOMAIN_LOCK',
          requestId: id,
          lockedAt: createdAt,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    await documents.send(
      new PutCommand({
        TableName: options.tableName,
        Item: {
          ...keys.request(id),
          entity: 'REQUEST',
          GSI1PK: keys.partnerRequestsIndex(options.partnerId),
          GSI1SK: `${createdAt}#${id}`,
          ...item,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: options.stateMachineArn,
        name: id,
        input: JSON.stringify({ requestId: id }),
      }),
    );
    return item;
  };

  return createServer((request, response) => {
    create(request).then(
      (item) => {
        response.writeHead(202, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify(item));
      },
      (error: unknown) => {
        response.writeHead(500, { 'Content-Type': 'text/plain' });
        response.end(String(error));
      },
    );
  });
};
