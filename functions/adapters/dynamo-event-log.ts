import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { EmailEntry, EventLog, TimelineEntry } from '../domain/event-publisher.ts';
import type { RequestEvent } from '../domain/events.ts';
import { isConditionFailed, storeCall } from './store-errors.ts';
import { keys } from './table-keys.ts';

/**
 * Event items live in their request's partition (`EVENT#<createdAt>#<id>`), so the timeline is
 * one Query in time order and never reads another request. Written once per event id.
 */
export class DynamoEventLog implements EventLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  put(requestId: string, event: RequestEvent): Promise<void> {
    return this.putEntry(requestId, event);
  }

  recordEmail(requestId: string, entry: EmailEntry): Promise<void> {
    return this.putEntry(requestId, entry);
  }

  async timeline(requestId: string): Promise<TimelineEntry[]> {
    const entries: TimelineEntry[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await storeCall(() =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'PK = :pk AND begins_with(SK, :events)',
            ExpressionAttributeValues: { ':pk': keys.request(requestId).PK, ':events': 'EVENT#' },
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      for (const item of page.Items ?? []) entries.push(item.entry as TimelineEntry);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return entries;
  }

  private async putEntry(requestId: string, entry: TimelineEntry): Promise<void> {
    try {
      await storeCall(() =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...keys.requestEvent(requestId, entry.createdAt, entry.id),
              entity: 'EVENT',
              entry,
            },
            // Once per id: a publisher that repeats after a crash writes nothing new.
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        ),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
  }
}
