import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  authenticate,
  createKey,
  issueKey,
  listKeys,
  revokeKey,
} from '../../../functions/domain/api-key-management.ts';
import { legacyKeyId, MAX_API_KEYS } from '../../../functions/domain/api-keys.ts';
import { newApiKey, sha256 } from '../../../functions/shared/crypto.ts';
import {
  ApiKeyLimitReached,
  Dependency,
  DependencyUnavailable,
  LastApiKey,
  NotFound,
} from '../../../functions/shared/errors.ts';
import { InMemoryApiKeys, RecordingAuthorizerCache } from '../../support/in-memory-api-keys.ts';

const partner = { id: 'ptn_1', name: 'Partner BV', contactEmail: 'ops@partner.example' };
const other = { id: 'ptn_2', name: 'Other BV', contactEmail: 'ops@other.example' };
const NOW = new Date('2026-12-01T10:00:00.000Z');
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

let keys: InMemoryApiKeys;
let cache: RecordingAuthorizerCache;
let first: ReturnType<typeof issueKey>;

beforeEach(() => {
  keys = new InMemoryApiKeys();
  cache = new RecordingAuthorizerCache();
  first = issueKey(partner.id, 'First key', NOW);
  keys.createPartner(partner, first);
  keys.createPartner(other, issueKey(other.id, 'First key', NOW));
});

describe('creating a key', () => {
  it('stores only the hash of a fresh key and lists it, without the key', async () => {
    const created = await createKey(keys, partner.id, { label: 'CRM' }, minutes(1));

    expect(created.keyHash).toBe(sha256(created.key));
    expect(keys.lookups.has(created.keyHash)).toBe(true);
    expect(JSON.stringify([...keys.lookups.entries(), ...keys.metadata.values()])).not.toContain(
      created.key,
    );
    expect((await listKeys(keys, partner.id)).map((key) => key.label)).toEqual([
      'First key',
      'CRM',
    ]);
  });

  it(`refuses the ${MAX_API_KEYS + 1}th key with a 409 error that says what to do`, async () => {
    for (let i = 2; i <= MAX_API_KEYS; i++) await createKey(keys, partner.id, { label: `K${i}` });

    await expect(createKey(keys, partner.id, { label: 'One too many' })).rejects.toThrow(
      new ApiKeyLimitReached(
        'You have 5 API keys, the most allowed: revoke one before creating another.',
      ),
    );
    expect(await listKeys(keys, partner.id)).toHaveLength(MAX_API_KEYS);
    // Another partner's keys do not count.
    await expect(createKey(keys, other.id, { label: 'Mine' })).resolves.toBeDefined();
  });
});

describe('the authorizer’s check', () => {
  it('accepts a valid key and names its partner', async () => {
    expect(await authenticate(keys, first.key, NOW)).toEqual({ partner, keyId: first.record.id });
  });

  it('refuses an unknown key, a revoked one, and one whose partner is gone', async () => {
    const second = await createKey(keys, partner.id, { label: 'CRM' });
    await revokeKey({ keys, cache }, partner.id, second.record.id);
    const orphan = issueKey('ptn_gone', 'Orphan', NOW);
    keys.writeItems(orphan.record, orphan.keyHash);

    expect(await authenticate(keys, newApiKey(), NOW)).toBeUndefined();
    expect(await authenticate(keys, second.key, NOW)).toBeUndefined();
    expect(await authenticate(keys, orphan.key, NOW)).toBeUndefined();
  });

  it('refuses a key whose id left the set even while its items are still there (a revoke halfway)', async () => {
    const second = await createKey(keys, partner.id, { label: 'CRM' });
    await keys.remove(partner.id, second.record.id);

    expect(keys.lookups.has(second.keyHash)).toBe(true);
    expect(await authenticate(keys, second.key, NOW)).toBeUndefined();
  });

  it('records the first use, and no other within the hour, then the next one', async () => {
    const record = vi.spyOn(keys, 'recordUse');

    await authenticate(keys, first.key, NOW);
    await authenticate(keys, first.key, minutes(30));
    await authenticate(keys, first.key, minutes(59));
    expect(record).toHaveBeenCalledTimes(1);
    expect((await listKeys(keys, partner.id))[0]?.lastUsedAt).toBe(NOW.toISOString());

    await authenticate(keys, first.key, minutes(61));
    expect(record).toHaveBeenCalledTimes(2);
    expect((await listKeys(keys, partner.id))[0]?.lastUsedAt).toBe(minutes(61).toISOString());
  });

  it('still accepts the key when recording its use fails', async () => {
    vi.spyOn(keys, 'recordUse').mockRejectedValue(
      new DependencyUnavailable('DynamoDB unavailable: ThrottlingException', {
        dependency: Dependency.TABLE,
      }),
    );

    expect(await authenticate(keys, first.key, NOW)).toEqual({ partner, keyId: first.record.id });
  });

  it('adopts a key made before keys had ids on its first use: listed, revocable, valid', async () => {
    const legacyPartner = { id: 'ptn_cli', name: 'CLI BV', contactEmail: 'ops@cli.example' };
    const key = newApiKey();
    keys.writeLegacyKey(legacyPartner, sha256(key), '2026-06-01T08:00:00.000Z');

    const found = await authenticate(keys, key, NOW);

    const id = legacyKeyId(sha256(key), '2026-06-01T08:00:00.000Z');
    expect(found).toEqual({ partner: legacyPartner, keyId: id });
    expect(await listKeys(keys, legacyPartner.id)).toEqual([
      {
        id,
        partnerId: legacyPartner.id,
        label: 'First key',
        prefix: key.slice(0, 8),
        createdAt: '2026-06-01T08:00:00.000Z',
        lastUsedAt: NOW.toISOString(),
      },
    ]);
    expect(await authenticate(keys, key, minutes(1))).toEqual(found);
    const second = await createKey(keys, legacyPartner.id, { label: 'New' });
    await revokeKey({ keys, cache }, legacyPartner.id, id);
    expect(await authenticate(keys, key, minutes(2))).toBeUndefined();
    expect(await authenticate(keys, second.key, minutes(2))).toBeDefined();
  });
});

describe('revoking a key', () => {
  it('makes it invalid, flushes the authorizer cache after the decision and again after deleting its items', async () => {
    const second = await createKey(keys, partner.id, { label: 'CRM' });
    const flush = vi.spyOn(cache, 'flush').mockImplementation(async () => {
      // Flushed once the key is no longer valid: a check refilling the cache now is refused.
      expect(await authenticate(keys, second.key, NOW)).toBeUndefined();
    });

    await revokeKey({ keys, cache }, partner.id, second.record.id);

    expect(flush).toHaveBeenCalledTimes(2);
    expect(keys.lookups.has(second.keyHash)).toBe(false);
    expect(await keys.hasItems(partner.id, second.record.id)).toBe(false);
    expect((await listKeys(keys, partner.id)).map((key) => key.id)).toEqual([first.record.id]);
  });

  it('refuses the partner’s last key with a 409 that says why, and flushes nothing', async () => {
    await expect(revokeKey({ keys, cache }, partner.id, first.record.id)).rejects.toThrow(
      LastApiKey,
    );
    expect(cache.flushes).toBe(0);
    expect(await authenticate(keys, first.key, NOW)).toBeDefined();
  });

  it('answers 404 for an unknown id and for another partner’s key, which stays valid', async () => {
    const theirs = await createKey(keys, other.id, { label: 'Theirs' });
    await createKey(keys, partner.id, { label: 'Mine' });

    await expect(revokeKey({ keys, cache }, partner.id, theirs.record.id)).rejects.toThrow(
      NotFound,
    );
    await expect(
      revokeKey({ keys, cache }, partner.id, 'key_01KBXQ5ZC0YJ3S5V3W0T8N2M4P'),
    ).rejects.toThrow(NotFound);
    expect(cache.flushes).toBe(0);
    expect(await authenticate(keys, theirs.key, NOW)).toBeDefined();
  });

  it('when the flush fails, answers the failure and leaves the items, so that the retry finishes it', async () => {
    const second = await createKey(keys, partner.id, { label: 'CRM' });
    cache.failNext = new DependencyUnavailable('APIGateway unavailable: TooManyRequestsException', {
      dependency: Dependency.GATEWAY,
    });

    await expect(revokeKey({ keys, cache }, partner.id, second.record.id)).rejects.toThrow(
      DependencyUnavailable,
    );
    expect(await authenticate(keys, second.key, NOW)).toBeUndefined();
    expect(keys.lookups.has(second.keyHash)).toBe(true);

    await revokeKey({ keys, cache }, partner.id, second.record.id);
    expect(cache.flushes).toBe(2);
    expect(keys.lookups.has(second.keyHash)).toBe(false);
    await expect(revokeKey({ keys, cache }, partner.id, second.record.id)).rejects.toThrow(
      NotFound,
    );
  });
});
