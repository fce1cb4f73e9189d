import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type CountChange,
  changeOfMark,
  countsFrom,
  FORGOTTEN,
  markOf,
  remainderAfter,
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
    const mark = markOf(change);
    if (!(await this.count(partnerId, requestId, change, mark))) {
      const found = await this.markOn(partnerId, requestId);
      if (found !== undefined && found !== mark) {
        // An earlier change of this request reached the counter but its actor stopped before
        // the request confirmed it (a Wake that failed, then the request closed): finish that
        // one, then count what is left of this one from where it left the request.
        const earlier = changeOfMark(found);
        await this.confirm(requestId, earlier);
        await this.tidy(partnerId, requestId, found);
        const rest = remainderAfter(earlier, change);
        if (rest) await this.apply(partnerId, requestId, rest, confirm);
        else await (confirm ?? (() => this.confirm(requestId, change)))();
        return;
      }
      // Our own mark: an earlier attempt of this very change counted it already.
    }
    await (confirm ?? (() => this.confirm(requestId, change)))();
    await this.tidy(partnerId, requestId, mark);
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

  /** 1. Only while no change of this request is marked: false when one is. */
  private async count(
    partnerId: string,
    requestId: string,
    change: CountChange,
    mark: string,
  ): Promise<boolean> {
    const adds = [
      ...(change.to === FORGOTTEN ? [] : ['#to :one']),
      ...(change.from ? ['#from :minusOne'] : []),
    ];
    const counted = await updateItemIf(this.client, this.tableName, keys.statusCounts(partnerId), {
      ConditionExpression: 'attribute_not_exists(#marker)',
      UpdateExpression: `${adds.length > 0 ? `ADD ${adds.join(', ')} ` : ''}SET #marker = :mark`,
      ExpressionAttributeNames: {
        '#marker': markerName(requestId),
        ...(change.to === FORGOTTEN ? {} : { '#to': change.to }),
        ...(change.from ? { '#from': change.from } : {}),
      },
      ExpressionAttributeValues: {
        ':mark': mark,
        ...(change.to === FORGOTTEN ? {} : { ':one': 1 }),
        ...(change.from ? { ':minusOne': -1 } : {}),
      },
    });
    return counted !== undefined;
  }

  private async markOn(partnerId: string, requestId: string): Promise<string | undefined> {
    const result = await storeCall(() =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.statusCounts(partnerId),
          ConsistentRead: true,
          ProjectionExpression: '#marker',
          ExpressionAttributeNames: { '#marker': markerName(requestId) },
        }),
      ),
    );
    const value = result.Item?.[markerName(requestId)];
    return typeof value === 'string' ? value : undefined;
  }

  /** 2. From the status it was counted under: a failed condition means it happened already. */
  private async confirm(requestId: string, change: CountChange): Promise<void> {
    if (change.to === FORGOTTEN) return;
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

  /** 3. Only the mark it set: a crash before this leaves a marker the next change finishes. */
  private async tidy(partnerId: string, requestId: string, mark: string): Promise<void> {
    await updateItemIf(this.client, this.tableName, keys.statusCounts(partnerId), {
      ConditionExpression: '#marker = :mark',
      UpdateExpression: 'REMOVE #marker',
      ExpressionAttributeNames: { '#marker': markerName(requestId) },
      ExpressionAttributeValues: { ':mark': mark },
    });
  }
}

const markerName = (requestId: string): string => `counting#${requestId}`;
