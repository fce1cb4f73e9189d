import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Partner, PartnerStore } from '../domain/ports.ts';
import { storeCall } from './store-errors.ts';
import { keys } from './table-keys.ts';

/** Partners and their API keys; a key is stored only as its SHA-256. */
export class DynamoPartnerStore implements PartnerStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async findByApiKeyHash(keyHash: string): Promise<Partner | undefined> {
    const key = await storeCall(() =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.apiKey(keyHash) })),
    );
    const partnerId = key.Item?.partnerId as string | undefined;
    return partnerId ? this.get(partnerId) : undefined;
  }

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

  async create(partner: Partner, keyHash: string): Promise<void> {
    await storeCall(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.partner(partner.id),
            entity: 'PARTNER',
            name: partner.name,
            contactEmail: partner.contactEmail,
          },
        }),
      ),
    );
    await storeCall(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.apiKey(keyHash),
            entity: 'API_KEY',
            partnerId: partner.id,
            createdAt: new Date().toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      ),
    );
  }
}
