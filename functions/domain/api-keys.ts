import { encodeTime } from 'ulid';
import { sha256 } from '../shared/crypto.ts';
import type { ApiKeyResource, ApiKeyWithSecret } from './api-key-schemas.ts';
import type { Partner } from './ports.ts';

/**
 * The rules of a partner's API keys (contract: "API keys"): how many, which key is valid, when a
 * use is worth recording, what partners see. Pure; functions/adapters/dynamo-api-keys.ts makes
 * them conditional writes and api-key-management.ts runs them.
 *
 * A key lives in three items: the lookup item under the key's hash (what the authorizer reads),
 * a metadata item under the partner (what the list queries) and the key's id in the set
 * `keyIds` on the partner's profile. The set is the decision: a key is valid only while its id
 * is in it, so the "at most 5" and "never the last" rules are conditions on one item.
 */

export const MAX_API_KEYS = 5;
/** `prefix`: this many characters of the key, to tell keys apart (contract). */
export const KEY_PREFIX_LENGTH = 8;
/** lastUsedAt is rewritten at most this often per key (contract: "may lag by up to an hour"). */
export const LAST_USED_RESOLUTION_MS = 3_600_000;
/** Keys written before keys had labels: the partner CLI's first key or a local seed. */
export const LEGACY_KEY_LABEL = 'First key';

/** One of a partner's keys as stored (never the key itself, which only its hash names). */
export interface ApiKey {
  /** `key_<ulid>` */
  readonly id: string;
  readonly partnerId: string;
  readonly label: string;
  readonly prefix: string;
  readonly createdAt: string;
  /** null: not used since it was made (or since uses were recorded). */
  readonly lastUsedAt: string | null;
}

/** What the lookup item of a presented key's hash says. */
export interface KeyLookup {
  readonly partnerId: string;
  /** Absent on a key written before keys had ids (the CLI's or a seed's, before this change). */
  readonly keyId?: string;
  readonly createdAt?: string;
  readonly lastUsedAt?: string;
}

/** The partner's profile with the ids of its valid keys. */
export interface PartnerKeys {
  readonly partner: Partner;
  readonly keyIds: ReadonlySet<string>;
}

/** A key just made: its record, the key shown once, and the hash, which is all that is stored. */
export interface IssuedKey {
  readonly record: ApiKey;
  readonly key: string;
  readonly keyHash: string;
}

export interface ApiKeyStore {
  /** The lookup item of a key hash, read consistently (a revoke is seen at once). */
  lookup(keyHash: string): Promise<KeyLookup | undefined>;
  /** The profile and its set of key ids, read consistently; undefined for no such partner. */
  partnerKeys(partnerId: string): Promise<PartnerKeys | undefined>;
  /**
   * Stores a key and adds it to the partner's keys while it has fewer than `max`; false at the
   * limit, with nothing left behind.
   */
  add(issued: Pick<IssuedKey, 'record' | 'keyHash'>, max: number): Promise<boolean>;
  /**
   * Gives a legacy key (no id) its id and metadata and makes it one of the partner's keys;
   * false when its lookup item was deleted meanwhile (revoked), with nothing left behind.
   */
  adopt(key: ApiKey, keyHash: string): Promise<boolean>;
  /** The partner's valid keys, oldest first. */
  list(partnerId: string): Promise<ApiKey[]>;
  /**
   * Removes the key from the partner's keys while it is one of them and not the only one: the
   * revoke's decision. false when either does not hold.
   */
  remove(partnerId: string, keyId: string): Promise<boolean>;
  /** Whether the partner has items for this key id (a revoke that stopped after its decision). */
  hasItems(partnerId: string, keyId: string): Promise<boolean>;
  /** Deletes the key's lookup and metadata items; the key is no longer one of the partner's. */
  forget(partnerId: string, keyId: string): Promise<void>;
  /** Sets lastUsedAt to `at` unless it is already `notBefore` or later (a conditional write). */
  recordUse(keyHash: string, at: string, notBefore: string): Promise<void>;
}

/** Empties a cache of the authorizer's answers (API Gateway's on AWS, the local gateway's). */
export interface AuthorizerCache {
  flush(): Promise<void>;
}

export const keyPrefix = (key: string): string => key.slice(0, KEY_PREFIX_LENGTH);

/** A new key's record. */
export const newKeyRecord = (
  partnerId: string,
  label: string,
  issued: { readonly id: string; readonly key: string; readonly now: Date },
): ApiKey => ({
  id: issued.id,
  partnerId,
  label,
  prefix: keyPrefix(issued.key),
  createdAt: issued.now.toISOString(),
  lastUsedAt: null,
});

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The id a legacy key gets: ULID-shaped, its time part from when the key was made, its random
 * part from the key's hash. Derived rather than drawn, so two first uses at once (or a first use
 * that crashed and is tried again) give the key the same id: every write of the adoption is
 * idempotent and no key ever gets two ids.
 */
export const legacyKeyId = (keyHash: string, createdAt: string | undefined): string => {
  const made = Date.parse(createdAt ?? '');
  const digest = Buffer.from(sha256(`api-key-id:${keyHash}`), 'hex');
  const random = [...digest.subarray(0, 16)].map((byte) => CROCKFORD[byte % 32]).join('');
  return `key_${encodeTime(Number.isNaN(made) ? 0 : made, 10)}${random}`;
};

/** What a legacy key becomes on its first use: the key it is, with an id and a label. */
export const adoptedKey = (
  lookup: KeyLookup,
  keyHash: string,
  key: string,
  now: Date,
  label: string = LEGACY_KEY_LABEL,
): ApiKey => ({
  id: legacyKeyId(keyHash, lookup.createdAt),
  partnerId: lookup.partnerId,
  label,
  prefix: keyPrefix(key),
  createdAt: lookup.createdAt ?? now.toISOString(),
  lastUsedAt: lookup.lastUsedAt ?? null,
});

export const KeyStanding = {
  VALID: 'valid',
  /** Made before keys had ids: valid, and adopted on this use. */
  LEGACY: 'legacy',
  /** Revoked, or a create or revoke that stopped halfway: answers 401. */
  INVALID: 'invalid',
} as const;
export type KeyStanding = (typeof KeyStanding)[keyof typeof KeyStanding];

/**
 * Whether a presented key is valid: its lookup item exists and its id is one of the partner's
 * keys. A revoke removes the id first, so a revoke that stopped before deleting the lookup item
 * already answers 401.
 */
export const standingOf = (lookup: KeyLookup, owner: PartnerKeys): KeyStanding => {
  if (lookup.keyId === undefined) return KeyStanding.LEGACY;
  return owner.keyIds.has(lookup.keyId) ? KeyStanding.VALID : KeyStanding.INVALID;
};

/**
 * The time a use must be newer than to be recorded: at most one write per key per resolution,
 * whatever the number of requests (and of concurrent authorizers: the write is conditional).
 */
export const recordedUseBefore = (now: Date): string =>
  new Date(now.getTime() - LAST_USED_RESOLUTION_MS).toISOString();

/** Whether this use is worth a write: none recorded, or the one recorded is an hour old. */
export const isUseDue = (lastUsedAt: string | undefined | null, now: Date): boolean =>
  !lastUsedAt || lastUsedAt < recordedUseBefore(now);

export const RevokeRefusal = {
  /** The partner's only key: revoking it would lock the partner out. */
  LAST_KEY: 'lastKey',
  /** Not one of the partner's keys (another partner's id is one of these). */
  UNKNOWN: 'unknown',
} as const;
export type RevokeRefusal = (typeof RevokeRefusal)[keyof typeof RevokeRefusal];

/** Why the conditional removal of a key id from the partner's set did not happen. */
export const revokeRefusal = (owner: PartnerKeys | undefined, keyId: string): RevokeRefusal =>
  owner?.keyIds.has(keyId) ? RevokeRefusal.LAST_KEY : RevokeRefusal.UNKNOWN;

/** The partner's view of a key: never its hash. */
export const toApiKeyResource = (key: ApiKey): ApiKeyResource => ({
  id: key.id,
  label: key.label,
  prefix: key.prefix,
  createdAt: key.createdAt,
  lastUsedAt: key.lastUsedAt,
});

/** The create's answer: the one time the key itself is shown. */
export const toIssuedKeyResource = (issued: IssuedKey): ApiKeyWithSecret => ({
  id: issued.record.id,
  label: issued.record.label,
  prefix: issued.record.prefix,
  createdAt: issued.record.createdAt,
  key: issued.key,
});

/** What newApiKeyId makes: `key_` and a ULID (Crockford base32). */
export const isApiKeyId = (value: string): boolean => /^key_[0-9A-HJKMNP-TV-Z]{26}$/.test(value);

/** Oldest first, by creation and then by id, so the list's order is stable. */
export const oldestFirst = (keys: readonly ApiKey[]): ApiKey[] =>
  [...keys].sort((a, b) =>
    a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1,
  );
