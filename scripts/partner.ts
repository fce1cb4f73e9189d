import { parseArgs } from 'node:util';
import { partnerStore } from '../functions/adapters/wiring.ts';
import { issueKey } from '../functions/domain/api-key-management.ts';
import { createApiKeyInput } from '../functions/domain/api-key-schemas.ts';
import { LEGACY_KEY_LABEL } from '../functions/domain/api-keys.ts';
import { emailAddress } from '../functions/domain/request-schema.ts';
import { newPartnerId } from '../functions/shared/crypto.ts';

const usage = `Usage: npm run partner -- create --name "Partner BV" --email contact@partner.example [--label "First key"]

Creates a partner and prints its first API key once (only its hash is stored). The partner
makes more keys, and revokes them, in the console or with /v1/api-keys.
Environment: TABLE_NAME (required); AWS credentials and region as for any AWS CLI tool.
Against the local stack, also set AWS_ENDPOINT_URL_DYNAMODB to the dynalite URL that
'npm start' prints (and AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY to any value).`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: 'string' },
    email: { type: 'string' },
    label: { type: 'string' },
    help: { type: 'boolean' },
  },
});

const fail = (message: string): never => {
  console.error(`${message}\n\n${usage}`);
  process.exit(2);
};

if (values.help) {
  console.log(usage);
  process.exit(0);
}
if (positionals[0] !== 'create') fail('Unknown command.');
const name = values.name?.trim() || fail('--name is required.');
const email = emailAddress.safeParse(values.email ?? '');
if (!email.success) fail('--email must be a valid e-mail address.');
const label = createApiKeyInput.safeParse({ label: values.label ?? LEGACY_KEY_LABEL });
if (!label.success) fail('--label must be 1-100 characters, without control characters.');
if (!process.env.TABLE_NAME) fail('Set TABLE_NAME.');

const partner = { id: newPartnerId(), name, contactEmail: email.data as string };
const firstKey = issueKey(partner.id, (label.data as { label: string }).label);
await partnerStore().create(partner, firstKey);
console.log(`Partner ${partner.id} (${partner.name}, ${partner.contactEmail}) created.`);
console.log(`API key (shown once, store it now): ${firstKey.key}`);
