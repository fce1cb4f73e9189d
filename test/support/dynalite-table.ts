import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { createTableInput } from '../../infra/table-schema.ts';
import { close, LOOPBACK, listen } from '../../local/listen.ts';

export interface DynaliteTable {
  /** A document client on this table's endpoint, marshalled as the handlers' client is. */
  readonly documents: DynamoDBDocumentClient;
  readonly tableName: string;
  stop(): Promise<void>;
}

/**
 * The one table on an in-process dynalite (loopback, a free port), created from the same
 * schema as the CDK stack and the local stack. The endpoint is given to this client only:
 * no process-wide SDK setting changes.
 */
export const startDynaliteTable = async (tableName = 'requests'): Promise<DynaliteTable> => {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const port = await listen(server, 0);
  const client = new DynamoDBClient({
    endpoint: `http://${LOOPBACK}:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  return {
    documents: DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    }),
    tableName,
    stop: async () => {
      client.destroy();
      await close(server);
    },
  };
};
