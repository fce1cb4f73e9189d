import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  type AttributeValue,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { createTableInput } from '../infra/table-schema.ts';

type Item = Record<string, AttributeValue>;

/**
 * A table kept from an earlier version may lack indexes added since (the list's filters).
 * dynalite cannot add an index to a table, so the table is rebuilt: every item is written to a
 * backup file next to the table first, the table is created again with today's schema, the
 * items are written back, and only then the backup goes. A start that finds a backup (the
 * last one stopped midway) finishes from it. Local stack only: on AWS CloudFormation adds
 * indexes to the deployed table.
 */
export const upgradeKeptTable = async (
  client: DynamoDBClient,
  tableName: string,
  tablePath: string | undefined,
): Promise<{ rebuilt: number } | undefined> => {
  const backup = tablePath
    ? join(dirname(tablePath), `${tableName}.upgrade-backup.json`)
    : undefined;
  if (backup && existsSync(backup)) {
    const items = JSON.parse(readFileSync(backup, 'utf8')) as Item[];
    await recreate(client, tableName, items);
    rmSync(backup);
    return { rebuilt: items.length };
  }
  const wanted = (createTableInput(tableName).GlobalSecondaryIndexes ?? []).map(
    (index) => index.IndexName,
  );
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  if (wanted.every((name) => present.has(name))) return undefined;
  const items = await scanAll(client, tableName);
  if (backup) {
    // Written whole, then renamed: a crash leaves either no backup or a complete one.
    writeFileSync(`${backup}.partial`, JSON.stringify(items), { mode: 0o600 });
    renameSync(`${backup}.partial`, backup);
  }
  await recreate(client, tableName, items);
  if (backup) rmSync(backup);
  return { rebuilt: items.length };
};

const scanAll = async (client: DynamoDBClient, tableName: string): Promise<Item[]> => {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
};

const recreate = async (client: DynamoDBClient, tableName: string, items: readonly Item[]) => {
  try {
    await client.send(new DeleteTableCommand({ TableName: tableName }));
  } catch (error) {
    if (!(error instanceof Error && error.name === 'ResourceNotFoundException')) throw error;
  }
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  for (let from = 0; from < items.length; from += 25) {
    let pending: Item[] = items.slice(from, from + 25);
    while (pending.length > 0) {
      const result = await client.send(
        new BatchWriteItemCommand({
          RequestItems: { [tableName]: pending.map((Item) => ({ PutRequest: { Item } })) },
        }),
      );
      pending = (result.UnprocessedItems?.[tableName] ?? []).map(
        (entry) => entry.PutRequest?.Item as Item,
      );
    }
  }
};
