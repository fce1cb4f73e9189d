import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTableInput } from '../../../infra/table-schema.ts';
import { close, LOOPBACK, listen } from '../../../local/listen.ts';
import { upgradeKeptTable } from '../../../local/table-upgrade.ts';

/** A table kept by `npm start` before the list's filter indexes existed. */
const TABLE = 'smart-account-requests';
const OLD_INDEXES = ['GSI1', 'Sweep', 'PendingDeliveries'];

let dir: string;
let server: ReturnType<typeof dynalite>;
let client: DynamoDBClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'table-upgrade-'));
  server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const port = await listen(server, 0);
  client = new DynamoDBClient({
    endpoint: `http://${LOOPBACK}:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  client?.destroy();
  if (server) await close(server);
  rmSync(dir, { recursive: true, force: true });
});

const indexesOf = async () =>
  (
    (await client.send(new DescribeTableCommand({ TableName: TABLE }))).Table
      ?.GlobalSecondaryIndexes ?? []
  ).map((index) => index.IndexName);

const ITEM = { PK: { S: 'REQUEST#sar_OLD' }, SK: { S: 'REQUEST' }, entity: { S: 'REQUEST' } };

describe('a table kept from an earlier version', () => {
  it("is rebuilt with today's indexes, every item kept, and no backup left behind", async () => {
    const today = createTableInput(TABLE);
    await client.send(
      new CreateTableCommand({
        ...today,
        GlobalSecondaryIndexes: today.GlobalSecondaryIndexes?.filter((index) =>
          OLD_INDEXES.includes(index.IndexName as string),
        ),
      }),
    );
    await client.send(new PutItemCommand({ TableName: TABLE, Item: ITEM }));

    expect(await upgradeKeptTable(client, TABLE, join(dir, 'table'))).toEqual({ rebuilt: 1 });

    expect(await indexesOf()).toEqual(today.GlobalSecondaryIndexes?.map((i) => i.IndexName));
    expect(
      (
        await client.send(
          new GetItemCommand({ TableName: TABLE, Key: { PK: ITEM.PK, SK: ITEM.SK } }),
        )
      ).Item,
    ).toEqual(ITEM);
    expect(existsSync(join(dir, `${TABLE}.upgrade-backup.json`))).toBe(false);
    // Up to date: the next start changes nothing.
    expect(await upgradeKeptTable(client, TABLE, join(dir, 'table'))).toBeUndefined();
  });

  it('is finished from its backup when the last start stopped midway', async () => {
    await client.send(new DeleteTableCommand({ TableName: TABLE }));
    await client.send(new CreateTableCommand(createTableInput(TABLE)));
    writeFileSync(join(dir, `${TABLE}.upgrade-backup.json`), JSON.stringify([ITEM]));

    expect(await upgradeKeptTable(client, TABLE, join(dir, 'table'))).toEqual({ rebuilt: 1 });

    expect(
      (
        await client.send(
          new GetItemCommand({ TableName: TABLE, Key: { PK: ITEM.PK, SK: ITEM.SK } }),
        )
      ).Item,
    ).toEqual(ITEM);
    expect(existsSync(join(dir, `${TABLE}.upgrade-backup.json`))).toBe(false);
  });
});
