import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import type { IssuedKey } from '../domain/api-keys.ts';
import type { Partner, PartnerStore } from '../domain/ports.ts';
import { keyMetadataKey, lookupItem, metadataItem } from './api-key-items.ts';
import { isConditionFailed, storeCall } from './store-errors.ts';
import { keys } from './table-keys.ts';

/**
 * Partners' profiles (`PARTNER#<id>` / `PROFILE`). Their API keys are stored only as hashes, in
 * the items of functions/adapters/dynamo-api-keys.ts; the profile holds the set of valid key ids.
 */
export class DynamoPartnerStore implements PartnerStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(partnerId: string): Promise<Partner | undefined> {
    const result = await storeCall(() =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.partner(partnerId) })),
    );
    if (!result.Item) return undefined;
    return {
      id: partnerId,
      name: result.Item.name as string,
      contactEmail: result.Item.contactEmail as string,
    };
  }

  /**
   * The key's lookup and metadata items first, then the profile naming it in its set: a crash in
   * between leaves a key no profile names (invalid), never a partner without its key. The
   * profile is only ever created, so an existing partner's keys and endpoints are never
   * overwritten. An item that is there already and names this key is this very write, retried
   * by the SDK after a lost reply.
   */
  async create(
    partner: Partner,
    firstKey: Pick<IssuedKey, 'record' | 'keyHash'>,
  ): Promise<boolean> {
    const { record, keyHash } = firstKey;
    if (!(await this.putOnce(lookupItem(record, keyHash), (item) => item.keyId === record.id))) {
      throw new Error('This API key is stored already, for another partner or key.');
    }
    await this.putOnce(metadataItem(record, keyHash), () => true);
    const profile = {
      ...keys.partner(partner.id),
      entity: 'PARTNER',
      name: partner.name,
      contactEmail: partner.contactEmail,
      keyIds: new Set([record.id]),
    };
    const named = (item: Record<string, unknown>) =>
      (item.keyIds as Set<string> | undefined)?.has(record.id) === true;
    if (await this.putOnce(profile, named)) return true;
    // The partner exists: the key items just written name it but are in no set; remove them.
    await this.delete(keys.apiKey(keyHash));
    await this.delete(keyMetadataKey(partner.id, record.id));
    return false;
  }

  /** Puts a new item; false when another item is there already (`isOurs` says which it is). */
  private async putOnce(
    item: Record<string, unknown>,
    isOurs: (existing: Record<string, unknown>) => boolean,
  ): Promise<boolean> {
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
      return true;
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
    const existing = await storeCall(() =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { PK: item.PK as string, SK: item.SK as string },
          ConsistentRead: true,
        }),
      ),
    );
    return existing.Item !== undefined && isOurs(existing.Item);
  }

  private async delete(key: Record<string, string>): Promise<void> {
    await storeCall(() =>
      this.client.send(new DeleteCommand({ TableName: this.tableName, Key: key })),
    );
  }
}
