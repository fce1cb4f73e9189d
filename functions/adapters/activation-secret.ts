import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { config } from '../shared/config.ts';

let cached: Promise<string> | undefined;

/**
 * The HMAC key for activation codes: a plain value locally, a Secrets Manager secret on AWS,
 * fetched once per container.
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
  const result = await new SecretsManagerClient({}).send(
    new GetSecretValueCommand({ SecretId: arn }),
  );
  if (!result.SecretString) throw new Error('The activation secret is empty');
  return result.SecretString;
};
