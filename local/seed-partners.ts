import { partnerStore } from '../functions/adapters/wiring.ts';
import { sha256 } from '../functions/shared/crypto.ts';

/**
 * The N-th key (1-based) belongs to `local-partner-N` (contract: LOCAL_PARTNER_KEYS).
 * Idempotent: on a kept table a key that is already known is left as it is, so a restart
 * with the same keys changes nothing.
 */
export const seedPartners = async (keys: readonly string[]): Promise<void> => {
  const partners = partnerStore();
  for (const [index, key] of keys.entries()) {
    const n = index + 1;
    if (await partners.findByApiKeyHash(sha256(key))) continue;
    await partners.create(
      {
        id: `local-partner-${n}`,
        name: `Local Partner ${n}`,
        contactEmail: `partner-${n}@local.example`,
      },
      sha256(key),
    );
  }
};
