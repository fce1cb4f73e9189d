import { parseArgs } from 'node:util';
import { partnerStore } from '../functions/adapters/wiring.ts';
import { emailAddress } from '../functions/domain/request-schema.ts';
import { newApiKey, newPartnerId, sha256 } from '../functions/shared/crypto.ts';

const usage = `Usage: npm run partner -- create --name "Partner BV" --email contact@partner.example

Creates a partner and prints its API key once (only its hash is stored).
Environment: TABLE_NAME (required); AWS credentials and region as for any AWS CLI tool.
Against the local stack, also set AWS_ENDPOINT_URL_DYNAMODB to the dynalite URL that
'npm start' prints (and AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY to any value).`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { name: { type: 'string' }, email: { type: 'string' }, help: { type: 'boolean' } },
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
if (!process.env.TABLE_NAME) fail('Set TABLE_NAME.');

const key = newApiKey();
const partner = { id: newPartnerId(), name, contactEmail: email.data as string };
await partnerStore().create(partner, sha256(key));
console.log(`Partner ${partner.id} (${partner.name}, ${partner.contactEmail}) created.`);
console.log(`API key (shown once, store it now): ${key}`);
