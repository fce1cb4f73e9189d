import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type ApiKey,
  type ApiKeyStore,
  type IssuedKey,
  type KeyLookup,
  oldestFirst,
  type PartnerKeys,
} from '../domain/api-keys.ts';
import {
  KEY_IDS,
  keyMetadataKey,
  lookupItem,
  metadataItem,
  toApiKey,
  toKeyLookup,
  toPartnerKeys,
} from './api-key-items.ts';
import { getLookups, queryKeyMetadata } from './api-key-reads.ts';
import { isConditionFailed, storeCall, updateItemIf } from './store-errors.ts';
import { keys } from './table-keys.ts';

/**
 * A partner's API keys (functions/domain/api-keys.ts). Only conditional writes; which key is
 * valid and what a refusal means are the domain's.
 *
 * No transactions (dynalite has none), so every multi-item write is ordered for what a crash in
 * between leaves: an id is in the profile's set only once the key's other items exist, and leaves
 * the set before they are deleted, so a key is never valid without its items and a half-done
 * revoke is already a revoked key.
 */
export class DynamoApiKeys implements ApiKeyStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async lookup(keyHash: string): Promise<KeyLookup | undefined> {
    const result = await storeCall(() =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.apiKey(keyHash),
          // A key made a moment ago is accepted on its first request, a revoked one refused.
          ConsistentRead: true,
        }),
      ),
    );
    return result.Item ? toKeyLookup(result.Item) : undefined;
  }

  async partnerKeys(partnerId: string): Promise<PartnerKeys | undefined> {
    const result = await storeCall(() =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.partner(partnerId),
          // The set is the revoke's decision: the very next request must see it.
          ConsistentRead: true,
        }),
      ),
    );
    return result.Item ? toPartnerKeys(partnerId, result.Item) : undefined;
  }

  /**
   * The lookup and metadata items first, then the id into the set, conditional on the limit: a
   * crash before the set write leaves items that no set names (an invalid key nobody was
   * shown), never a valid key over the limit. Refused at the limit, it deletes what it wrote;
   * failed with an error, it takes the key back (undoAdd): the write may have landed.
   */
  async add(issued: Pick<IssuedKey, 'record' | 'keyHash'>, max: number): Promise<boolean> {
    const { record, keyHash } = issued;
    await this.putNew(lookupItem(record, keyHash));
    try {
      await this.putNew(metadataItem(record, keyHash));
    } catch (error) {
      await this.deleteItem(keys.apiKey(keyHash)).catch(() => undefined);
      throw error;
    }
    let added: Record<string, unknown> | undefined;
    try {
      added = await updateItemIf(this.client, this.tableName, keys.partner(record.partnerId), {
        // Room left, or this id already in the set (the SDK retried a write whose reply was
        // lost). attribute_exists: a key is never the first item of a partner that is not there.
        ConditionExpression:
          'attribute_exists(PK) AND (attribute_not_exists(#keyIds) OR size(#keyIds) < :max OR contains(#keyIds, :id))',
        UpdateExpression: 'ADD #keyIds :ids',
        ExpressionAttributeNames: { '#keyIds': KEY_IDS },
        ExpressionAttributeValues: { ':max': max, ':id': record.id, ':ids': new Set([record.id]) },
      });
    } catch (error) {
      await this.undoAdd(record.partnerId, record.id, keyHash).catch(() => undefined);
      throw error;
    }
    if (added === undefined) await this.deleteKeyItems(record.partnerId, record.id, keyHash);
    return added !== undefined;
  }

  /**
   * The id into the set, then the metadata, then the id onto the lookup item, last: until that
   * write the key is still legacy (valid, adopted again on its next use, each write idempotent
   * because the id is derived from the hash). The last write is conditional on the lookup item
   * still existing: if a revoke deleted it meanwhile, the adoption takes back its own writes
   * instead of bringing a revoked key back.
   */
  async adopt(key: ApiKey, keyHash: string): Promise<boolean> {
    const inSet = await updateItemIf(this.client, this.tableName, keys.partner(key.partnerId), {
      ConditionExpression: 'attribute_exists(PK)',
      UpdateExpression: 'ADD #keyIds :ids',
      ExpressionAttributeNames: { '#keyIds': KEY_IDS },
      ExpressionAttributeValues: { ':ids': new Set([key.id]) },
    });
    if (inSet === undefined) return false;
    await storeCall(() =>
      this.client.send(
        new PutCommand({ TableName: this.tableName, Item: metadataItem(key, keyHash) }),
      ),
    );
    const adopted = await updateItemIf(this.client, this.tableName, keys.apiKey(keyHash), {
      ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(keyId) OR keyId = :id)',
      UpdateExpression: 'SET keyId = :id, label = :label, prefix = :prefix, createdAt = :createdAt',
      ExpressionAttributeValues: {
        ':id': key.id,
        ':label': key.label,
        ':prefix': key.prefix,
        ':createdAt': key.createdAt,
      },
    });
    if (adopted !== undefined) return true;
    await this.removeFromSet(key.partnerId, key.id);
    await this.deleteItem(keyMetadataKey(key.partnerId, key.id));
    return false;
  }

  /**
   * One Query of the partner's metadata items, the set that says which are valid, and their
   * lookup items for lastUsedAt (which the authorizer writes there, the item it reads anyway).
   * A key whose items a crash left behind without its id in the set is not listed.
   */
  async list(partnerId: string): Promise<ApiKey[]> {
    const [metadata, owner] = await Promise.all([
      queryKeyMetadata(this.client, this.tableName, partnerId),
      this.partnerKeys(partnerId),
    ]);
    const valid = metadata.filter((item) => owner?.keyIds.has(item.keyId as string));
    if (valid.length === 0) return [];
    const lookups = await getLookups(
      this.client,
      this.tableName,
      valid.map((item) => item.keyHash as string),
    );
    return oldestFirst(
      valid.flatMap((item) => {
        const lookup = lookups.get(item.keyHash as string);
        // No lookup item: a create or revoke halfway; not a key anyone can use.
        return lookup ? [toApiKey(item, lookup)] : [];
      }),
    );
  }

  async remove(partnerId: string, keyId: string): Promise<boolean> {
    const removed = await updateItemIf(this.client, this.tableName, keys.partner(partnerId), {
      // One of the partner's keys and not its only one: of two revokes of a partner's last two
      // keys at once, the second finds one id left and is refused.
      ConditionExpression: 'contains(#keyIds, :id) AND size(#keyIds) > :one',
      UpdateExpression: 'DELETE #keyIds :ids',
      ExpressionAttributeNames: { '#keyIds': KEY_IDS },
      ExpressionAttributeValues: { ':id': keyId, ':one': 1, ':ids': new Set([keyId]) },
    });
    return removed !== undefined;
  }

  async hasItems(partnerId: string, keyId: string): Promise<boolean> {
    return (await this.metadata(partnerId, keyId)) !== undefined;
  }

  /** The lookup item first, the metadata last: while the metadata is there a revoke can finish. */
  async forget(partnerId: string, keyId: string): Promise<void> {
    const item = await this.metadata(partnerId, keyId);
    if (!item) return;
    await this.deleteKeyItems(partnerId, keyId, item.keyHash as string);
  }

  async recordUse(keyHash: string, at: string, notBefore: string): Promise<void> {
    // At most one write per key per hour, however many authorizers run at once. attribute_exists:
    // a use never recreates the lookup item of a key revoked meanwhile.
    await updateItemIf(this.client, this.tableName, keys.apiKey(keyHash), {
      ConditionExpression:
        'attribute_exists(PK) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :notBefore)',
      UpdateExpression: 'SET lastUsedAt = :at',
      ExpressionAttributeValues: { ':at': at, ':notBefore': notBefore },
    });
  }

  private async metadata(
    partnerId: string,
    keyId: string,
  ): Promise<Record<string, unknown> | undefined> {
    const result = await storeCall(() =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keyMetadataKey(partnerId, keyId),
          ConsistentRead: true,
        }),
      ),
    );
    return result.Item;
  }

  /**
   * Takes back a key whose set write ended in an error. The write may still have landed (a
   * timeout, a lost reply): deleting only the items would leave an id in the set that no list
   * shows, yet counts toward the limit and makes `size > 1` hold, so the partner could revoke
   * its real last key. So, as a revoke does: the id out of the set first, then the items. In
   * between, items no set names: the authorizer refuses them and a list leaves them out; the
   * other way round, the set would count a key no list shows. The removal is the revoke's own
   * (never the partner's last id): if a revoke of the partner's other key came in between and
   * this one is now its only id, the key is kept whole, valid and listed, which the partner can
   * see and the operator replace, instead of a set that names nothing usable or nothing at
   * all. A failed removal also keeps the items (the caller ignores the error), for the same
   * reason. Nobody was shown the key, so there is no cached Allow to flush. A set write still
   * on its way that lands after all this is the one case left: an id without items.
   */
  private async undoAdd(partnerId: string, keyId: string, keyHash: string): Promise<void> {
    if (!(await this.remove(partnerId, keyId))) {
      // Refused: the id was never in the set (nothing landed), or it is the partner's last.
      if ((await this.partnerKeys(partnerId))?.keyIds.has(keyId)) return;
    }
    await this.deleteKeyItems(partnerId, keyId, keyHash);
  }

  private async removeFromSet(partnerId: string, keyId: string): Promise<void> {
    await updateItemIf(this.client, this.tableName, keys.partner(partnerId), {
      ConditionExpression: 'attribute_exists(PK)',
      UpdateExpression: 'DELETE #keyIds :ids',
      ExpressionAttributeNames: { '#keyIds': KEY_IDS },
      ExpressionAttributeValues: { ':ids': new Set([keyId]) },
    });
  }

  private async deleteKeyItems(partnerId: string, keyId: string, keyHash: string): Promise<void> {
    await this.deleteItem(keys.apiKey(keyHash));
    await this.deleteItem(keyMetadataKey(partnerId, keyId));
  }

  private async deleteItem(key: Record<string, string>): Promise<void> {
    await storeCall(() =>
      this.client.send(new DeleteCommand({ TableName: this.tableName, Key: key })),
    );
  }

  /** A new item; an item already there is this very write, retried by the SDK after a lost reply. */
  private async putNew(item: Record<string, unknown>): Promise<void> {
    try {
      await storeCall(() =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: item,
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        ),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
  }
}
