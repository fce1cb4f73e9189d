import { startStack } from './stack.ts';

const port = Number(process.env.PORT ?? 3000);
const sesPort = Number(process.env.SES_PORT ?? 8005);
const partnerKeys = (process.env.LOCAL_PARTNER_KEYS ?? '')
  .split(',')
  .map((key) => key.trim())
  .filter(Boolean);

const stack = await startStack({
  port,
  sesPort,
  partnerKeys,
  publicBaseUrl: process.env.PUBLIC_BASE_URL ?? `http://localhost:${port}`,
  activationTimeoutSeconds: process.env.ACTIVATION_TIMEOUT_SECONDS
    ? Number(process.env.ACTIVATION_TIMEOUT_SECONDS)
    : undefined,
});

console.log(`
Smart Account Requests is running locally.

  API and activation pages  ${stack.apiUrl}   (partner console: ${stack.apiUrl}/)
  OpenAPI                   ${stack.apiUrl}/openapi.json
  Mail inbox (SES)          http://localhost:${new URL(stack.sesUrl).port}/   (sent mail as JSON: /store)
  Step Functions endpoint   ${stack.stepFunctionsUrl}
  DynamoDB (dynalite)       ${stack.dynamoUrl}   table ${stack.tableName}

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

const shutdown = () => {
  stack.stop().finally(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
