import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ulid } from 'ulid';

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** Request ids are opaque; the ULID's time prefix gives newest-first ids, its 80 random bits make them unguessable. */
export const newRequestId = (): string => `sar_${ulid()}`;

/** What `newRequestId` makes: `sar_` and a ULID (Crockford base32). */
export const isRequestId = (value: string): boolean => /^sar_[0-9A-HJKMNP-TV-Z]{26}$/.test(value);

/** Partner API keys: 256 random bits. Only their SHA-256 is stored (high-entropy, so no slow hash needed). */
export const newApiKey = (): string => `sak_${randomBytes(32).toString('base64url')}`;

/** Time-ordered, so events and deliveries sort by when they happened. */
export const newEventId = (): string => `evt_${ulid()}`;

export const newEndpointId = (): string => `whe_${ulid()}`;

export const newPartnerId = (): string => `ptn_${ulid()}`;

/** A partner's API key's id, shown in its list and used to revoke it (never the key itself). */
export const newApiKeyId = (): string => `key_${ulid()}`;

export const newErrorId = (): string => `err_${ulid()}`;

/** 128 random bits per request; together with the server secret it yields the activation code. */
export const newCodeNonce = (): string => randomBytes(16).toString('base64url');

/**
 * The activation code is HMAC-SHA256(secret, requestId.nonce): 256 bits nobody can compute
 * without the secret, derived from a 128-bit CSPRNG nonce. Deriving instead of storing it lets
 * a resend mail the same link while the table only ever holds the code's hash.
 */
export const deriveActivationCode = (secret: string, requestId: string, nonce: string): string =>
  createHmac('sha256', secret).update(`${requestId}.${nonce}`).digest('base64url');

export const safeEqual = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};
