/**
 * BENCH-ONLY BASELINE: the PREVIOUS implementation of the partner's list, as it was before the
 * indexed filters (`git show 3dc4036:functions/adapters/request-list-query.ts`), kept here only
 * so the list-filter phase can measure "before" on the same table as "after". Not used by any
 * handler. A status filter was a FilterExpression on the partner index GSI1 (projection ALL):
 * each round reads 100 of the partner's requests, whatever their status, and a page gives up
 * after 10 rounds with what it found and a cursor. The algorithm is copied unchanged; only the
 * cursor helpers are today's, given GSI1 as the index (the same key and checks as then).
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  type CursorIndex,
  type CursorKey,
  cursorKeyOf,
  decodeCursor,
  encodeCursor,
} from '../functions/adapters/list-cursor.ts';
import { STATUS_NAME, toRequest } from '../functions/adapters/request-items.ts';
import { storeCall } from '../functions/adapters/store-errors.ts';
import { keys, PARTNER_REQUESTS_INDEX } from '../functions/adapters/table-keys.ts';
import type { ListPage } from '../functions/domain/ports.ts';
import type { SmartAccountRequest } from '../functions/domain/smart-account-request.ts';
import type { RequestStatus } from '../functions/shared/status.ts';

/** Rounds of a filtered query before a page is returned short, with a cursor. */
const MAX_QUERY_ROUNDS = 10;

/** The previous list: a partner's requests, newest first, one Query of GSI1 per round. */
export const previousQueryPartnerRequests = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  partnerId: string,
  options: { limit: number; status?: RequestStatus; cursor?: string },
): Promise<ListPage> => {
  const partitionKey = keys.partnerRequestsIndex(partnerId);
  // The filters this list answers, as today's cursors record them.
  const index: CursorIndex = {
    partitionKey: 'GSI1PK',
    sortKey: 'GSI1SK',
    partition: partitionKey,
    filter: JSON.stringify([options.status]),
  };
  let startKey = options.cursor ? decodeCursor(options.cursor, index) : undefined;
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
    if (last) cursorKey = cursorKeyOf(last, index);
    if (taken.length < pageItems.length) {
      return { items, nextCursor: encodeCursor(cursorKey, index) };
    }
    startKey = page.LastEvaluatedKey as CursorKey | undefined;
    if (!startKey) return { items, nextCursor: null };
    cursorKey = startKey;
    if (items.length === options.limit) break;
  }
  return { items, nextCursor: encodeCursor(cursorKey, index) };
};
