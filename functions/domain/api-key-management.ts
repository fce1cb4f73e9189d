import { newApiKey, newApiKeyId, sha256 } from '../shared/crypto.ts';
import { ApiKeyLimitReached, LastApiKey, NotFound } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import type { CreateApiKeyInput } from './api-key-schemas.ts';
import {
  type ApiKey,
  type ApiKeyStore,
  type AuthorizerCache,
  adoptedKey,
  type IssuedKey,
  isUseDue,
  KeyStanding,
  MAX_API_KEYS,
  newKeyRecord,
  RevokeRefusal,
  recordedUseBefore,
  revokeRefusal,
  standingOf,
} from './api-keys.ts';
import type { Partner } from './ports.ts';

/**
 * What happens with a partner's API keys, one function per action: the authorizer's check and
 * the three routes of functions/api/api-keys/. The rules are api-keys.ts; the store makes them
 * conditional writes.
 */

/** A new key for a partner: the record, the key (shown once) and its hash (all that is kept). */
export const issueKey = (partnerId: string, label: string, now: Date = new Date()): IssuedKey => {
  const key = newApiKey();
  return {
    record: newKeyRecord(partnerId, label, { id: newApiKeyId(), key, now }),
    key,
    keyHash: sha256(key),
  };
};

/** `POST /v1/api-keys`: the sixth key is refused by the store's conditional write. */
export const createKey = async (
  keys: ApiKeyStore,
  partnerId: string,
  input: CreateApiKeyInput,
  now: Date = new Date(),
): Promise<IssuedKey> => {
  const issued = issueKey(partnerId, input.label, now);
  if (!(await keys.add(issued, MAX_API_KEYS))) {
    throw new ApiKeyLimitReached(
      `You have ${MAX_API_KEYS} API keys, the most allowed: revoke one before creating another.`,
    );
  }
  return issued;
};

export const listKeys = (keys: ApiKeyStore, partnerId: string): Promise<ApiKey[]> =>
  keys.list(partnerId);

const noSuchKey = () => new NotFound('No such API key.');

/**
 * `DELETE /v1/api-keys/{id}`. The decision is the conditional removal of the id from the
 * partner's set; from then on the authorizer refuses the key. The cache is flushed next, so a
 * cached Allow does not outlive the decision, and the key's items are deleted last. A revoke that
 * stopped after its decision (a failed flush answers 503) is finished by the next one, which
 * finds the items without the id in the set.
 */
export const revokeKey = async (
  deps: { readonly keys: ApiKeyStore; readonly cache: AuthorizerCache },
  partnerId: string,
  keyId: string,
): Promise<void> => {
  if (!(await deps.keys.remove(partnerId, keyId))) {
    const refusal = revokeRefusal(await deps.keys.partnerKeys(partnerId), keyId);
    if (refusal === RevokeRefusal.LAST_KEY) {
      throw new LastApiKey(
        'This is your only API key: create another one before revoking it, or you could not sign in again.',
      );
    }
    // Under the caller's own partition: another partner's key id finds nothing here.
    if (!(await deps.keys.hasItems(partnerId, keyId))) throw noSuchKey();
  }
  await deps.cache.flush();
  await deps.keys.forget(partnerId, keyId);
  // Again once the items are gone: a check that read the set just before the decision and
  // answered after the first flush put its Allow back into the cache; this takes it out.
  await deps.cache.flush();
};

export interface Authenticated {
  readonly partner: Partner;
  readonly keyId: string;
}

/**
 * The authorizer's check of a presented key: its lookup item, then its partner's set (both read
 * consistently, so a revoke is seen at once). A key made before keys had ids is adopted on its
 * first use: it gets its id, metadata and place in the set, and is then listed and revocable.
 * The use is recorded at most once an hour; that write never fails the check.
 */
export const authenticate = async (
  keys: ApiKeyStore,
  key: string,
  now: Date = new Date(),
): Promise<Authenticated | undefined> => {
  const keyHash = sha256(key);
  const lookup = await keys.lookup(keyHash);
  if (!lookup) return undefined;
  const owner = await keys.partnerKeys(lookup.partnerId);
  if (!owner) return undefined;
  let keyId: string;
  switch (standingOf(lookup, owner)) {
    case KeyStanding.INVALID:
      return undefined;
    case KeyStanding.LEGACY: {
      const adopted = adoptedKey(lookup, keyHash, key, now);
      if (!(await keys.adopt(adopted, keyHash))) return undefined;
      keyId = adopted.id;
      break;
    }
    default:
      keyId = lookup.keyId as string;
  }
  if (isUseDue(lookup.lastUsedAt, now)) {
    try {
      await keys.recordUse(keyHash, now.toISOString(), recordedUseBefore(now));
    } catch (error) {
      // lastUsedAt is for the partner's overview; a failure to record it denies no one.
      logger.warn('could not record the use of an API key', { keyId, error });
    }
  }
  return { partner: owner.partner, keyId };
};
