import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { migrateRequests } from './request-migration.ts';

const usage = `Usage: npm run migrate -- --table <TableName> [--force]

Once after deploying issue 14's version: gives request items stored before it the list's
filter keys and counts them per status (scripts/request-migration.ts). It Scans the table.
'npm start' runs it on a kept local table by itself. --force runs it again.`;

const { values } = parseArgs({
  options: { table: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean' } },
});
if (values.help || !values.table) {
  console.log(usage);
  process.exit(values.help ? 0 : 2);
}
const client = new DynamoDBClient({});
const report = await migrateRequests(DynamoDBDocumentClient.from(client), values.table, {
  force: values.force,
});
console.log(
  report.skipped
    ? 'Already migrated (use --force to run again).'
    : `Looked at ${report.looked} request items, updated ${report.updated}.`,
);
client.destroy();
