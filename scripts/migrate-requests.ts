import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_RETENTION_DAYS } from '../functions/domain/retention.ts';
import { migrateRequests } from './request-migration.ts';

const usage = `Usage: npm run migrate -- --table <TableName> [--retention-days 400] [--force]

Once after deploying issue 14's version: gives request items stored before it the list's
filter keys, counts them per status, dates the deletion of settled ones (--retention-days, as
the stack's retentionDays) and marks activated accounts' domain locks
(scripts/request-migration.ts). It Scans the table. 'npm start' runs it on a kept local table
by itself. --force runs it again.`;

const { values } = parseArgs({
  options: {
    table: { type: 'string' },
    'retention-days': { type: 'string' },
    force: { type: 'boolean' },
    help: { type: 'boolean' },
  },
});
if (values.help || !values.table) {
  console.log(usage);
  process.exit(values.help ? 0 : 2);
}
const client = new DynamoDBClient({});
const days = Number(values['retention-days'] ?? DEFAULT_RETENTION_DAYS);
if (!Number.isInteger(days) || days < 1) {
  console.error(`--retention-days must be a whole number of days\n\n${usage}`);
  process.exit(2);
}
const report = await migrateRequests(DynamoDBDocumentClient.from(client), values.table, {
  force: values.force,
  retention: { days, bySweep: false },
});
console.log(
  report.skipped
    ? 'Already migrated (use --force to run again).'
    : `Looked at ${report.looked} request items, updated ${report.updated}.`,
);
client.destroy();
