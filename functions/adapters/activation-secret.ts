import { config } from '../shared/config.ts';

let cached: Promise<string> | undefined;

/**
 * The HMAC key for activation codes: a plain value locally; on AWS a Secrets Manager secret,
 * read once per container through the Parameters and Secrets extension on localhost (the
 * stack adds its layer), so no Secrets Manager client is bundled or initialized.
 */
export const activationSecret = (): Promise<string> => {
  cached ??= load().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
};

const load = async (): Promise<string> => {
  const value = config.activationSecretValue();
  if (value) return value;
  const arn = config.activationSecretArn();
  if (!arn) throw new Error('Set ACTIVATION_SECRET or ACTIVATION_SECRET_ARN');
  const port = process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? '2773';
  const response = await fetch(
    `http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(arn)}`,
    // The extension only answers callers that present the function's own session token.
    { headers: { 'X-Aws-Parameters-Secrets-Token': process.env.AWS_SESSION_TOKEN ?? '' } },
  );
  if (!response.ok)
    throw new Error(`The activation secret is unavailable (HTTP ${response.status})`);
  const secret = ((await response.json()) as { SecretString?: string }).SecretString;
  if (!secret) throw new Error('The activation secret is empty');
  return secret;
};
