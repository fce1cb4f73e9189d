import { parseReminderOffsets } from '../functions/domain/reminders.ts';
import { parseRetrySeconds } from '../functions/domain/webhook-retries.ts';
import { openLocalData } from './data-dir.ts';
import { startStack } from './stack.ts';

const port = Number(process.env.PORT ?? 3000);
const sesPort = Number(process.env.SES_PORT ?? 8005);
const seconds = (name: string): number | undefined =>
  process.env[name] ? Number(process.env[name]) : undefined;

// LOCAL_DATA_DIR unset: `.local-data`; set but empty: in memory (nothing survives a stop).
const data = openLocalData({
  dir: process.env.LOCAL_DATA_DIR ?? '.local-data',
  partnerKeys: (process.env.LOCAL_PARTNER_KEYS ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean),
  activationSecret: process.env.ACTIVATION_SECRET,
});

const stack = await startStack({
  port,
  sesPort,
  data,
  publicBaseUrl: process.env.PUBLIC_BASE_URL ?? `http://localhost:${port}`,
  activationTimeoutSeconds: seconds('ACTIVATION_TIMEOUT_SECONDS'),
  reminderOffsetsSeconds: parseReminderOffsets(process.env.ACTIVATION_REMINDER_SECONDS),
  webhookRetrySeconds: parseRetrySeconds(process.env.WEBHOOK_RETRY_SECONDS),
  sweepIntervalSeconds: seconds('SWEEP_INTERVAL_SECONDS'),
});

console.log(`
Smart Account Requests is running locally.

  API and activation pages  ${stack.apiUrl}   (partner console: ${stack.apiUrl}/)
  OpenAPI                   ${stack.apiUrl}/openapi.json
  Mail inbox (SES)          http://localhost:${new URL(stack.sesUrl).port}/   (sent mail as JSON: /store)
  Step Functions endpoint   ${stack.stepFunctionsUrl}
  DynamoDB (dynalite)       ${stack.dynamoUrl}   table ${stack.tableName}
  Data                      ${data.tablePath ? `${process.env.LOCAL_DATA_DIR ?? '.local-data'} (kept across restarts)` : 'in memory (LOCAL_DATA_DIR is empty)'}

  Partner API key(s):
${stack.partnerKeys.map((key, i) => `    local-partner-${i + 1}  ${key}`).join('\n')}

Another partner:
  AWS_ENDPOINT_URL_DYNAMODB=${stack.dynamoUrl} AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local \\
  AWS_REGION=us-east-1 TABLE_NAME=${stack.tableName} npm run partner -- create --name "Partner BV" --email ops@partner.example

Try:
  export KEY=${stack.partnerKeys[0]}
  curl -s -X POST ${stack.apiUrl}/v1/smart-account-requests -H "Authorization: Bearer $KEY" \\
    -H 'Content-Type: application/json' \\
    -d '{"accountName":"Acme BV","accountDomain":"acme.example","customerEmail":"it@acme.example"}'
`);

// Ctrl-C or SIGTERM: stop accepting, let the requests in flight finish (their writes are in
// the kept table), then exit. A second signal exits at once.
let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) process.exit(1);
  stopping = true;
  console.log(`\n${signal}: finishing requests in flight, then stopping.`);
  stack
    .stop({ graceful: true })
    .catch((error: unknown) => console.error('stop failed', error))
    .finally(() => process.exit(0));
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
