import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ListPage } from '../domain/ports.ts';
import type { SmartAccountRequest } from '../domain/smart-account-request.ts';
import type { RequestStatus } from '../shared/status.ts';
import { type CursorKey, cursorKeyOf, decodeCursor, encodeCursor } from './list-cursor.ts';
import { STATUS_NAME, toRequest } from './request-items.ts';
import { storeCall } from './store-errors.ts';
import { keys, PARTNER_REQUESTS_INDEX } from './table-keys.ts';

/** Rounds of a filtered query before a page is returned short, with a cursor. */
const MAX_QUERY_ROUNDS = 10;

/** A partner's requests, newest first: one Query of the partner index per round. */
export const queryPartnerRequests = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  partnerId: string,
  options: { limit: number; status?: RequestStatus; cursor?: string },
): Promise<ListPage> => {
  const partitionKey = keys.partnerRequestsIndex(partnerId);
  let startKey = options.cursor ? decodeCursor(options.cursor, partitionKey) : undefined;
  const items: SmartAccountRequest[] = [];
  let cursorKey: CursorKey | undefined;
  // A status filter is applied after DynamoDB's Limit, so keep querying (bounded) until the
  // page is full. The cursor is the key of the last item returned (or the last key
  // evaluated), so pages never overlap or skip.
  for (let round = 0; round < MAX_QUERY_ROUNDS; round++) {
    const remaining = options.limit - items.length;
    const page = await storeCall(() =>
      client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: PARTNER_REQUESTS_INDEX,
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: {
            ':pk': partitionKey,
            ...(options.status ? { ':status': options.status } : {}),
          },
          ...(options.status
            ? { FilterExpression: '#status = :status', ExpressionAttributeNames: STATUS_NAME }
            : {}),
          ScanIndexForward: false,
          Limit: options.status ? 100 : remaining + 1,
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    const pageItems = page.Items ?? [];
    const taken = pageItems.slice(0, remaining);
    items.push(...taken.map(toRequest));
    const last = taken.at(-1);
    if (last) cursorKey = cursorKeyOf(last);
    if (taken.length < pageItems.length) {
      return { items, nextCursor: encodeCursor(cursorKey) };
    }
    startKey = page.LastEvaluatedKey as CursorKey | undefined;
    if (!startKey) return { items, nextCursor: null };
    cursorKey = startKey;
    if (items.length === options.limit) break;
  }
  return { items, nextCursor: encodeCursor(cursorKey) };
};
