import type { ApiKey, KeyLookup, PartnerKeys } from '../domain/api-keys.ts';
import { keys } from './table-keys.ts';

/** The items of a partner's API keys (functions/adapters/dynamo-api-keys.ts) and their shapes. */

/**
 * The attribute of the partner's profile (`PARTNER#<id>` / `PROFILE`) holding the ids of its
 * valid keys: a string set, as `endpointIds` is for webhook endpoints. Adding an id is
 * idempotent (a write the SDK retried counts once), and the limit and the last-key rule are
 * conditions on this one item, so two creates or two revokes at once cannot both pass them.
 */
export const KEY_IDS = 'keyIds';
export const METADATA_PREFIX = 'APIKEY#';

/**
 * A key's metadata under its partner: the list is one Query of the partner's partition, and
 * another partner's key id addresses nothing. (table-keys.ts names the other item kinds; this
 * one is only ever read and written here.)
 */
export const keyMetadataKey = (partnerId: string, keyId: string) => ({
  PK: keys.partner(partnerId).PK,
  SK: `${METADATA_PREFIX}${keyId}`,
});

/** The lookup item the authorizer reads: one GetItem by the presented key's hash. */
export const lookupItem = (key: ApiKey, keyHash: string): Record<string, unknown> => ({
  ...keys.apiKey(keyHash),
  entity: 'API_KEY',
  partnerId: key.partnerId,
  keyId: key.id,
  label: key.label,
  prefix: key.prefix,
  createdAt: key.createdAt,
  ...(key.lastUsedAt ? { lastUsedAt: key.lastUsedAt } : {}),
});

/** The metadata item the list reads; `keyHash` lets a revoke find the lookup item. */
export const metadataItem = (key: ApiKey, keyHash: string): Record<string, unknown> => ({
  ...keyMetadataKey(key.partnerId, key.id),
  entity: 'API_KEY_METADATA',
  keyId: key.id,
  partnerId: key.partnerId,
  label: key.label,
  prefix: key.prefix,
  createdAt: key.createdAt,
  keyHash,
});

const LOOKUP_PREFIX = keys.apiKey('').PK;

/** The key hash a lookup item is keyed by. */
export const keyHashOf = (item: Record<string, unknown>): string =>
  String(item.PK).slice(LOOKUP_PREFIX.length);

export const toKeyLookup = (item: Record<string, unknown>): KeyLookup | undefined => {
  if (typeof item.partnerId !== 'string') return undefined;
  return {
    partnerId: item.partnerId,
    ...(typeof item.keyId === 'string' ? { keyId: item.keyId } : {}),
    ...(typeof item.createdAt === 'string' ? { createdAt: item.createdAt } : {}),
    ...(typeof item.lastUsedAt === 'string' ? { lastUsedAt: item.lastUsedAt } : {}),
  };
};

/** A profile without the set (a partner from before keys had ids) has no valid key id yet. */
export const toPartnerKeys = (partnerId: string, item: Record<string, unknown>): PartnerKeys => ({
  partner: {
    id: partnerId,
    name: item.name as string,
    contactEmail: item.contactEmail as string,
  },
  keyIds: new Set((item[KEY_IDS] as Set<string> | undefined) ?? []),
});

/** A key from its metadata item and its lookup item (which holds lastUsedAt). */
export const toApiKey = (
  metadata: Record<string, unknown>,
  lookup: Record<string, unknown>,
): ApiKey => ({
  id: metadata.keyId as string,
  partnerId: metadata.partnerId as string,
  label: metadata.label as string,
  prefix: metadata.prefix as string,
  createdAt: metadata.createdAt as string,
  lastUsedAt: (lookup.lastUsedAt as string | undefined) ?? null,
});
