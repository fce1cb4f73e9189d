import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { orphanReservations } from '../domain/webhook-endpoints.ts';
import type {
  SigningSecret,
  WebhookEndpoint,
  WebhookEndpointStore,
} from '../domain/webhook-ports.ts';
import { isConditionFailed, storeCall, updateItemIf } from './store-errors.ts';
import { keys } from './table-keys.ts';

const ENDPOINT_PREFIX = 'ENDPOINT#';

/**
 * The attribute of the partner's profile item (`PARTNER#<id>` / `PROFILE`) that holds one
 * entry per endpoint: a string set of endpoint ids. A set rather than a counter, because adding
 * an id is idempotent (a write the SDK retried after a lost reply counts once) and a crash
 * between the two writes of a create leaves an id that names no endpoint, which the next
 * create that finds the set full frees (orphanReservations, after a grace period).
 */
const RESERVED = 'endpointIds';

/**
 * Webhook endpoint items (`PARTNER#<partnerId>` / `ENDPOINT#<id>`): the partner is part of
 * the key, so another partner's endpoint id addresses nothing. The limit per partner is the
 * size of the profile's reserved set; this only makes the conditional writes.
 */
export class DynamoWebhookEndpoints implements WebhookEndpointStore {
  private readonly now: () => Date;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: { readonly now?: () => Date } = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Reserves a slot on the profile, then stores the endpoint. No transaction (dynalite has
   * none): the slot comes first, so a crash leaves a slot taken, never an endpoint uncounted.
   */
  async create(endpoint: WebhookEndpoint, maxPerPartner: number): Promise<boolean> {
    if (!(await this.reserve(endpoint, maxPerPartner))) {
      if (!(await this.freeOrphans(endpoint.partnerId))) return false;
      if (!(await this.reserve(endpoint, maxPerPartner))) return false;
    }
    try {
      await storeCall(() =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: toItem(endpoint),
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        ),
      );
    } catch (error) {
      // The id is new: an item that exists is this very write, retried after a lost reply.
      if (isConditionFailed(error)) return true;
      // Best effort; if this fails too, the grace period frees the slot.
      await this.release(endpoint.partnerId, [endpoint.id]).catch(() => undefined);
      throw error;
    }
    return true;
  }

  async list(partnerId: string): Promise<WebhookEndpoint[]> {
    const found: WebhookEndpoint[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await storeCall(() =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
            ExpressionAttributeValues: {
              ':pk': keys.partner(partnerId).PK,
              ':prefix': ENDPOINT_PREFIX,
            },
            // An endpoint just added or deleted shows so in the next list.
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      found.push(...(page.Items ?? []).map(toEndpoint));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return found;
  }

  async get(partnerId: string, endpointId: string): Promise<WebhookEndpoint | undefined> {
    const result = await storeCall(() =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.webhookEndpoint(partnerId, endpointId),
          ConsistentRead: true,
        }),
      ),
    );
    return result.Item ? toEndpoint(result.Item) : undefined;
  }

  /** The endpoint first, then its slot: a crash in between leaves a slot to free, not an extra endpoint. */
  async delete(partnerId: string, endpointId: string): Promise<boolean> {
    let deleted = true;
    try {
      await storeCall(() =>
        this.client.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: keys.webhookEndpoint(partnerId, endpointId),
            ConditionExpression: 'attribute_exists(PK)',
          }),
        ),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      deleted = false;
    }
    // Also when there was nothing to delete: it finishes a delete that crashed in between.
    await this.release(partnerId, [endpointId]);
    return deleted;
  }

  async rotate(
    partnerId: string,
    endpointId: string,
    secrets: readonly SigningSecret[],
    replacing: string,
  ): Promise<WebhookEndpoint | undefined> {
    const updated = await updateItemIf(
      this.client,
      this.tableName,
      keys.webhookEndpoint(partnerId, endpointId),
      {
        // Only over the secret the rotation was computed from: a concurrent rotation that
        // won first makes this one compute again, instead of dropping the winner's secret.
        ConditionExpression: 'attribute_exists(PK) AND #secrets[0].#secret = :replacing',
        UpdateExpression: 'SET #secrets = :secrets',
        ExpressionAttributeNames: { '#secrets': 'secrets', '#secret': 'secret' },
        ExpressionAttributeValues: { ':replacing': replacing, ':secrets': secrets },
      },
    );
    return updated ? toEndpoint(updated) : undefined;
  }

  private async reserve(endpoint: WebhookEndpoint, maxPerPartner: number): Promise<boolean> {
    const reserved = await updateItemIf(
      this.client,
      this.tableName,
      keys.partner(endpoint.partnerId),
      {
        // Room left, or this id's own reservation (a retried create) already in the set.
        ConditionExpression:
          'attribute_not_exists(#reserved) OR size(#reserved) < :max OR contains(#reserved, :id)',
        UpdateExpression: 'ADD #reserved :ids',
        ExpressionAttributeNames: { '#reserved': RESERVED },
        ExpressionAttributeValues: {
          ':max': maxPerPartner,
          ':id': endpoint.id,
          ':ids': new Set([endpoint.id]),
        },
      },
    );
    return reserved !== undefined;
  }

  /** Frees the slots no endpoint holds (functions/domain/webhook-endpoints.ts); true if any. */
  private async freeOrphans(partnerId: string): Promise<boolean> {
    const profile = await storeCall(() =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.partner(partnerId),
          ProjectionExpression: '#reserved',
          ExpressionAttributeNames: { '#reserved': RESERVED },
          ConsistentRead: true,
        }),
      ),
    );
    const reserved = [...((profile.Item?.[RESERVED] as Set<string> | undefined) ?? [])];
    const stored = (await this.list(partnerId)).map((endpoint) => endpoint.id);
    const orphans = orphanReservations(reserved, stored, this.now());
    if (orphans.length === 0) return false;
    await this.release(partnerId, orphans);
    return true;
  }

  private async release(partnerId: string, endpointIds: readonly string[]): Promise<void> {
    // Never creates a profile: a partner without one has no slots to free.
    await updateItemIf(this.client, this.tableName, keys.partner(partnerId), {
      ConditionExpression: 'attribute_exists(PK)',
      UpdateExpression: 'DELETE #reserved :ids',
      ExpressionAttributeNames: { '#reserved': RESERVED },
      ExpressionAttributeValues: { ':ids': new Set(endpointIds) },
    });
  }
}

const toItem = (endpoint: WebhookEndpoint): Record<string, unknown> => ({
  ...keys.webhookEndpoint(endpoint.partnerId, endpoint.id),
  entity: 'ENDPOINT',
  id: endpoint.id,
  partnerId: endpoint.partnerId,
  url: endpoint.url,
  events: endpoint.events,
  description: endpoint.description,
  createdAt: endpoint.createdAt,
  secrets: endpoint.secrets,
});

const toEndpoint = (item: Record<string, unknown>): WebhookEndpoint => ({
  id: item.id as string,
  partnerId: item.partnerId as string,
  url: item.url as string,
  events: (item.events as string[] | null | undefined) ?? null,
  description: (item.description as string | null | undefined) ?? null,
  createdAt: item.createdAt as string,
  secrets: ((item.secrets as SigningSecret[] | undefined) ?? []).map((secret) => ({
    secret: secret.secret,
    createdAt: secret.createdAt,
    expiresAt: secret.expiresAt ?? null,
  })),
});
