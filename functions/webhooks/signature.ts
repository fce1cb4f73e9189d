import { createHmac, randomBytes } from 'node:crypto';

/**
 * Standard Webhooks signing (standardwebhooks.com): `v1,` + base64 HMAC-SHA256 of
 * "{id}.{timestamp}.{body}", keyed with the bytes the base64 part of a `whsec_` secret encodes.
 */
const SECRET_PREFIX = 'whsec_';

/** A secret that is not `whsec_` + base64 of at least one byte: a defect, never partner input. */
export class InvalidWebhookSecret extends Error {
  override readonly name = 'InvalidWebhookSecret';
}

export interface WebhookSignatureHeaders {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
}

/** 192 random bits, as Svix and the reference libraries make them. */
export const newWebhookSecret = (): string =>
  `${SECRET_PREFIX}${randomBytes(24).toString('base64')}`;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const keyOf = (secret: string): Buffer => {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : '';
  // Buffer.from(…, 'base64') skips what is not base64 instead of failing: a mangled secret
  // would sign with a different key and every receiver would refuse, so refuse it here.
  if (encoded === '' || !BASE64.test(encoded)) {
    throw new InvalidWebhookSecret('A webhook secret is whsec_ followed by base64.');
  }
  return Buffer.from(encoded, 'base64');
};

/**
 * The three headers of one delivery attempt. With several secrets (the 24 h after a rotation)
 * the signatures are space-separated and a receiver accepts the delivery if any one matches,
 * so it may verify with the old or the new secret.
 */
export const signWebhook = (
  secrets: readonly string[],
  id: string,
  timestampSeconds: number,
  body: string,
): WebhookSignatureHeaders => {
  if (secrets.length === 0) throw new InvalidWebhookSecret('A delivery needs at least one secret.');
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) {
    throw new RangeError('The webhook timestamp is whole Unix seconds.');
  }
  const signed = `${id}.${timestampSeconds}.${body}`;
  const signatures = secrets.map(
    (secret) => `v1,${createHmac('sha256', keyOf(secret)).update(signed, 'utf8').digest('base64')}`,
  );
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': signatures.join(' '),
  };
};
