import { apiKeys, partnerStore } from '../functions/adapters/wiring.ts';
import { adoptedKey, KeyStanding, newKeyRecord, standingOf } from '../functions/domain/api-keys.ts';
import { newApiKeyId, sha256 } from '../functions/shared/crypto.ts';

/** How the N-th key stands after seeding. */
export type SeedOutcome =
  /** The partner was made with this key, or already has it. */
  | 'seeded'
  /** The partner exists without this key: it was revoked, or the partner was seeded with another. */
  | 'notItsKey'
  /** The key is another partner's already (the same key given twice). */
  | 'taken';

const SEED_LABEL = 'LOCAL_PARTNER_KEYS';

/**
 * The N-th key (1-based) belongs to `local-partner-N` (contract: LOCAL_PARTNER_KEYS). A partner
 * is made only if it is not known yet, so a restart on a kept table changes nothing, and a key
 * the partner revoked does not come back. A key kept from before keys had ids (a table of an
 * older version) gets its id, metadata and place in the partner's set here, as the authorizer
 * would give it on its first use.
 */
export const seedPartners = async (seedKeys: readonly string[]): Promise<SeedOutcome[]> => {
  const partners = partnerStore();
  const keys = apiKeys();
  const outcomes: SeedOutcome[] = [];
  const now = new Date();
  for (const [index, key] of seedKeys.entries()) {
    const n = index + 1;
    const partnerId = `local-partner-${n}`;
    const keyHash = sha256(key);
    const [lookup, owner] = await Promise.all([keys.lookup(keyHash), keys.partnerKeys(partnerId)]);
    if (owner) {
      const standing =
        lookup?.partnerId === partnerId ? standingOf(lookup, owner) : KeyStanding.INVALID;
      if (lookup && standing === KeyStanding.LEGACY) {
        await keys.adopt(adoptedKey(lookup, keyHash, key, now, SEED_LABEL), keyHash);
      }
      outcomes.push(standing === KeyStanding.INVALID ? 'notItsKey' : 'seeded');
      continue;
    }
    if (lookup) {
      outcomes.push('taken');
      continue;
    }
    await partners.create(
      { id: partnerId, name: `Local Partner ${n}`, contactEmail: `partner-${n}@local.example` },
      { record: newKeyRecord(partnerId, SEED_LABEL, { id: newApiKeyId(), key, now }), keyHash },
    );
    outcomes.push('seeded');
  }
  return outcomes;
};
