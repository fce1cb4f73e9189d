import {
  type ApiKey,
  type ApiKeyStore,
  type AuthorizerCache,
  type IssuedKey,
  type KeyLookup,
  oldestFirst,
  type PartnerKeys,
} from '../../functions/domain/api-keys.ts';
import type { Partner } from '../../functions/domain/ports.ts';
import { Dependency, DependencyUnavailable } from '../../functions/shared/errors.ts';

interface Lookup extends KeyLookup {
  readonly label?: string;
  readonly prefix?: string;
}

interface Metadata {
  readonly key: Omit<ApiKey, 'lastUsedAt'>;
  readonly keyHash: string;
}

/**
 * The API key store in memory, with DynamoDB's conditions (functions/adapters/dynamo-api-keys.ts):
 * test/unit/adapters/api-key-store-contract.test.ts runs the same cases against both.
 */
export class InMemoryApiKeys implements ApiKeyStore {
  readonly lookups = new Map<string, Lookup>();
  readonly metadata = new Map<string, Metadata>();
  readonly profiles = new Map<string, { partner: Partner; keyIds: Set<string> }>();
  /** Set by loseNextSetReply: what happens between the next add's set write and its error. */
  private lostReply: (() => Promise<void>) | undefined;

  /**
   * The next add's set write lands, then, after `during`, fails as DynamoDB's does when the
   * SDK's last attempt gets no reply.
   */
  loseNextSetReply(during: () => Promise<void> = async () => undefined): void {
    this.lostReply = during;
  }

  /** A partner with its first key, as DynamoPartnerStore.create writes it. */
  createPartner(partner: Partner, issued: Pick<IssuedKey, 'record' | 'keyHash'>): boolean {
    if (this.profiles.has(partner.id)) return false;
    this.writeItems(issued.record, issued.keyHash);
    this.profiles.set(partner.id, { partner, keyIds: new Set([issued.record.id]) });
    return true;
  }

  /** What the CLI and the seeds wrote before keys had ids: a profile without a set, a bare lookup. */
  writeLegacyKey(partner: Partner, keyHash: string, createdAt: string): void {
    if (!this.profiles.has(partner.id)) {
      this.profiles.set(partner.id, { partner, keyIds: new Set() });
    }
    this.lookups.set(keyHash, { partnerId: partner.id, createdAt });
  }

  /** What a create that crashed before its set write leaves: the items, no id in the set. */
  writeItems(record: ApiKey, keyHash: string): void {
    this.lookups.set(keyHash, {
      partnerId: record.partnerId,
      keyId: record.id,
      label: record.label,
      prefix: record.prefix,
      createdAt: record.createdAt,
      ...(record.lastUsedAt ? { lastUsedAt: record.lastUsedAt } : {}),
    });
    const { lastUsedAt: _onTheLookup, ...key } = record;
    this.metadata.set(metadataKey(record.partnerId, record.id), { key, keyHash });
  }

  async lookup(keyHash: string): Promise<KeyLookup | undefined> {
    const found = this.lookups.get(keyHash);
    if (!found) return undefined;
    return {
      partnerId: found.partnerId,
      ...(found.keyId ? { keyId: found.keyId } : {}),
      ...(found.createdAt ? { createdAt: found.createdAt } : {}),
      ...(found.lastUsedAt ? { lastUsedAt: found.lastUsedAt } : {}),
    };
  }

  async partnerKeys(partnerId: string): Promise<PartnerKeys | undefined> {
    const profile = this.profiles.get(partnerId);
    return profile ? { partner: profile.partner, keyIds: new Set(profile.keyIds) } : undefined;
  }

  async add(issued: Pick<IssuedKey, 'record' | 'keyHash'>, max: number): Promise<boolean> {
    const { record, keyHash } = issued;
    this.writeItems(record, keyHash);
    const profile = this.profiles.get(record.partnerId);
    if (!profile || (profile.keyIds.size >= max && !profile.keyIds.has(record.id))) {
      this.deleteItems(record.partnerId, record.id, keyHash);
      return false;
    }
    profile.keyIds.add(record.id);
    const during = this.lostReply;
    if (during) {
      this.lostReply = undefined;
      await during();
      // The adapter's undoAdd: out of the set unless it is the partner's last id, then the items.
      if ((await this.remove(record.partnerId, record.id)) || !profile.keyIds.has(record.id)) {
        this.deleteItems(record.partnerId, record.id, keyHash);
      }
      throw new DependencyUnavailable('DynamoDB unavailable: TimeoutError', {
        dependency: Dependency.TABLE,
        cause: Object.assign(new Error('Connection timed out'), { name: 'TimeoutError' }),
      });
    }
    return true;
  }

  async adopt(key: ApiKey, keyHash: string): Promise<boolean> {
    const profile = this.profiles.get(key.partnerId);
    if (!profile) return false;
    profile.keyIds.add(key.id);
    const { lastUsedAt: _onTheLookup, ...metadata } = key;
    this.metadata.set(metadataKey(key.partnerId, key.id), { key: metadata, keyHash });
    const lookup = this.lookups.get(keyHash);
    if (!lookup || (lookup.keyId !== undefined && lookup.keyId !== key.id)) {
      profile.keyIds.delete(key.id);
      this.metadata.delete(metadataKey(key.partnerId, key.id));
      return false;
    }
    this.lookups.set(keyHash, {
      ...lookup,
      keyId: key.id,
      label: key.label,
      prefix: key.prefix,
      createdAt: key.createdAt,
    });
    return true;
  }

  async list(partnerId: string): Promise<ApiKey[]> {
    const keyIds = this.profiles.get(partnerId)?.keyIds ?? new Set<string>();
    return oldestFirst(
      [...this.metadata.values()].flatMap(({ key, keyHash }) => {
        const lookup = this.lookups.get(keyHash);
        if (key.partnerId !== partnerId || !keyIds.has(key.id) || !lookup) return [];
        return [{ ...key, lastUsedAt: lookup.lastUsedAt ?? null }];
      }),
    );
  }

  async remove(partnerId: string, keyId: string): Promise<boolean> {
    const keyIds = this.profiles.get(partnerId)?.keyIds;
    if (!keyIds?.has(keyId) || keyIds.size <= 1) return false;
    keyIds.delete(keyId);
    return true;
  }

  async hasItems(partnerId: string, keyId: string): Promise<boolean> {
    return this.metadata.has(metadataKey(partnerId, keyId));
  }

  async forget(partnerId: string, keyId: string): Promise<void> {
    const found = this.metadata.get(metadataKey(partnerId, keyId));
    if (found) this.deleteItems(partnerId, keyId, found.keyHash);
  }

  async recordUse(keyHash: string, at: string, notBefore: string): Promise<void> {
    const lookup = this.lookups.get(keyHash);
    if (!lookup || (lookup.lastUsedAt !== undefined && lookup.lastUsedAt >= notBefore)) return;
    this.lookups.set(keyHash, { ...lookup, lastUsedAt: at });
  }

  private deleteItems(partnerId: string, keyId: string, keyHash: string): void {
    this.lookups.delete(keyHash);
    this.metadata.delete(metadataKey(partnerId, keyId));
  }
}

const metadataKey = (partnerId: string, keyId: string) => `${partnerId}|${keyId}`;

/** Counts the flushes, and fails the next one when told to. */
export class RecordingAuthorizerCache implements AuthorizerCache {
  flushes = 0;
  failNext: Error | undefined;

  async flush(): Promise<void> {
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure) throw failure;
    this.flushes += 1;
  }
}
