import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type CountChange,
  countsFrom,
  FORGOTTEN,
  type StatusCounter,
  type StatusCounts,
} from '../domain/status-counts.ts';
import { storeCall, updateItemIf } from './store-errors.ts';
import { keys } from './table-keys.ts';

/**
 * The partner's counters: one item (`PARTNER#<id>` / `COUNTS`), an attribute per status, plus
 * a marker attribute per request being counted right now (functions/domain/status-counts.ts
 * has the three steps and why they are exact). Markers are removed as soon as the request
 * confirms, so the item holds only the few requests in the middle of a change.
 */
export class DynamoStatusCounts implements StatusCounter {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async apply(
    partnerId: string,
    requestId: string,
    change: CountChange,
    confirm?: () => Promise<void>,
  ): Promise<void> {
    const counter = keys.statusCounts(partnerId);
    const marker = { '#marker': `counting#${requestId}` };
    const adds = [
      ...(change.to === FORGOTTEN ? [] : ['#to :one']),
      ...(change.from ? ['#from :minusOne'] : []),
    ];
    // 1. Only while this request's marker does not name this very change: a retry after a
    // crash finds it and does not count the request twice.
    await updateItemIf(this.client, this.tableName, counter, {
      ConditionExpression: 'attribute_not_exists(#marker) OR #marker <> :to',
      UpdateExpression: `${adds.length > 0 ? `ADD ${adds.join(', ')} ` : ''}SET #marker = :to`,
      ExpressionAttributeNames: {
        ...marker,
        ...(change.to === FORGOTTEN ? {} : { '#to': change.to }),
        ...(change.from ? { '#from': change.from } : {}),
      },
      ExpressionAttributeValues: {
        ':to': change.to,
        ...(change.to === FORGOTTEN ? {} : { ':one': 1 }),
        ...(change.from ? { ':minusOne': -1 } : {}),
      },
    });
    // 2. The request now says it is counted under the new status.
    await (confirm ?? (() => this.confirm(requestId, change)))();
    // 3. Tidy: a crash before this leaves a marker no one reads again.
    await updateItemIf(this.client, this.tableName, counter, {
      ConditionExpression: '#marker = :to',
      UpdateExpression: 'REMOVE #marker',
      ExpressionAttributeNames: marker,
      ExpressionAttributeValues: { ':to': change.to },
    });
  }

  async read(partnerId: string): Promise<StatusCounts> {
    const result = await storeCall(() =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.statusCounts(partnerId),
          ConsistentRead: true,
        }),
      ),
    );
    return countsFrom(result.Item);
  }

  private async confirm(requestId: string, change: CountChange): Promise<void> {
    // From the status it was counted under: a condition that fails means the step already
    // happened (a retry), and there is nothing left to do.
    await updateItemIf(this.client, this.tableName, keys.request(requestId), {
      ConditionExpression: change.from
        ? 'countedStatus = :from'
        : 'attribute_exists(PK) AND attribute_not_exists(countedStatus)',
      UpdateExpression: 'SET countedStatus = :to',
      ExpressionAttributeValues: {
        ':to': change.to,
        ...(change.from ? { ':from': change.from } : {}),
      },
    });
  }
}
