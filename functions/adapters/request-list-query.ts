import { BatchGetCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ListPage } from '../domain/ports.ts';
import {
  hasResidual,
  ListIndex,
  type ListPlan,
  matchesFilter,
  planList,
  type RequestFilter,
} from '../domain/request-filters.ts';
import type { SmartAccountRequest } from '../domain/smart-account-request.ts';
import { Dependency, DependencyUnavailable } from '../shared/errors.ts';
import {
  type CursorIndex,
  type CursorKey,
  cursorKeyOf,
  decodeCursor,
  encodeCursor,
} from './list-cursor.ts';
import { toRequest } from './request-items.ts';
import { storeCall } from './store-errors.ts';
import {
  FILTER_ATTRIBUTES,
  FILTER_INDEXES,
  filterKeys,
  keys,
  PARTNER_REQUESTS_INDEX,
} from './table-keys.ts';

export type ListOptions = RequestFilter & { readonly limit: number; readonly cursor?: string };

/**
 * Items a combined filter reads per round: its FilterExpression applies after DynamoDB's
 * Limit, so a round asks for more than the page still needs.
 */
const FILTERED_ROUND_LIMIT = 200;
/** BatchGetItem rounds for unprocessed keys (throttling) before the list gives up. */
const MAX_BATCH_GET_ROUNDS = 8;

interface IndexQuery {
  readonly indexName: string;
  readonly cursor: CursorIndex;
  readonly keyCondition: string;
  readonly names: Record<string, string>;
  readonly values: Record<string, string>;
  /** GSI1 projects whole items; the filter indexes only keys, so their hits are read by key. */
  readonly projectsItems: boolean;
}

/** The filters as a cursor records them: every given filter, in a fixed order. */
const filterFingerprint = (filter: RequestFilter): string =>
  JSON.stringify([filter.status, filter.accountDomain, filter.customerEmail, filter.expiresBefore]);

const indexQueryOf = (partnerId: string, plan: ListPlan, filter: RequestFilter): IndexQuery => {
  const filterOf = filterFingerprint(filter);
  const on = (
    index: (typeof FILTER_INDEXES)[keyof typeof FILTER_INDEXES],
    partition: string,
    before?: string,
  ): IndexQuery => ({
    indexName: index.indexName,
    cursor: {
      partitionKey: index.partitionKey,
      sortKey: index.sortKey,
      partition,
      filter: filterOf,
      ...(before ? { below: before } : {}),
    },
    // The expiry sort key is `<expiresAt>#<id>`: below `<expiresBefore>` exactly when the
    // expiry is before it (an equal time sorts after, since `#` follows the end of the string).
    keyCondition: `#pk = :pk${before ? ' AND #sk < :before' : ''}`,
    names: { '#pk': index.partitionKey, ...(before ? { '#sk': index.sortKey } : {}) },
    values: { ':pk': partition, ...(before ? { ':before': before } : {}) },
    projectsItems: false,
  });
  switch (plan.index) {
    case ListIndex.BY_DOMAIN:
      return on(
        FILTER_INDEXES.byDomain,
        filterKeys.accountDomain(partnerId, filter.accountDomain as string),
      );
    case ListIndex.BY_CUSTOMER:
      return on(
        FILTER_INDEXES.byCustomer,
        filterKeys.customerEmail(partnerId, filter.customerEmail as string),
      );
    case ListIndex.BY_STATUS_EXPIRY:
      return on(
        FILTER_INDEXES.byStatusExpiry,
        filterKeys.status(partnerId, filter.status as string),
        filter.expiresBefore,
      );
    case ListIndex.BY_STATUS:
      return on(FILTER_INDEXES.byStatus, filterKeys.status(partnerId, filter.status as string));
    case ListIndex.BY_EXPIRY:
      return on(
        FILTER_INDEXES.byExpiry,
        keys.partnerRequestsIndex(partnerId),
        filter.expiresBefore,
      );
    case ListIndex.ALL: {
      const partition = keys.partnerRequestsIndex(partnerId);
      return {
        indexName: PARTNER_REQUESTS_INDEX,
        cursor: { partitionKey: 'GSI1PK', sortKey: 'GSI1SK', partition, filter: filterOf },
        keyCondition: '#pk = :pk',
        names: { '#pk': 'GSI1PK' },
        values: { ':pk': partition },
        projectsItems: true,
      };
    }
  }
};

/** Where a list's cursor points: the index and partition that list reads. */
export const listCursorIndex = (partnerId: string, filter: RequestFilter): CursorIndex =>
  indexQueryOf(partnerId, planList(filter), filter).cursor;

/** The filters the index key does not answer, on the other filters' projected keys. */
const residualExpression = (partnerId: string, residual: RequestFilter) => {
  const parts: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, string> = {};
  const equal = (name: string, attribute: string, value: string) => {
    parts.push(`#${name} = :${name}`);
    names[`#${name}`] = attribute;
    values[`:${name}`] = value;
  };
  if (residual.status !== undefined) {
    equal('rStatus', FILTER_ATTRIBUTES.status, filterKeys.status(partnerId, residual.status));
  }
  if (residual.customerEmail !== undefined) {
    equal(
      'rCustomer',
      FILTER_ATTRIBUTES.customerEmail,
      filterKeys.customerEmail(partnerId, residual.customerEmail),
    );
  }
  if (residual.expiresBefore !== undefined) {
    parts.push('#rExpiry < :rBefore');
    names['#rExpiry'] = FILTER_ATTRIBUTES.expiry;
    values[':rBefore'] = residual.expiresBefore;
  }
  return parts.length > 0
    ? { FilterExpression: parts.join(' AND '), names, values }
    : { FilterExpression: undefined, names, values };
};

/** BatchGetItem takes at most 100 keys; a page of 100 reads 101 (the one more). */
const BATCH_GET_KEYS = 100;

const readBatch = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  batch: Record<string, unknown>[],
  found: Map<string, Record<string, unknown>>,
): Promise<void> => {
  let wanted = batch;
  for (let round = 0; wanted.length > 0; round++) {
    if (round === MAX_BATCH_GET_ROUNDS) {
      throw new DependencyUnavailable('BatchGetItem left keys unprocessed', {
        dependency: Dependency.TABLE,
      });
    }
    const keysNow = wanted;
    const result = await storeCall(() =>
      client.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keysNow } } })),
    );
    for (const item of result.Responses?.[tableName] ?? []) found.set(item.PK as string, item);
    wanted = (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
    if (wanted.length > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** round));
  }
};

/** Reads the hits' items by key; one that is gone meanwhile is left out. */
const readItems = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  hits: readonly Record<string, unknown>[],
): Promise<Map<string, Record<string, unknown>>> => {
  const found = new Map<string, Record<string, unknown>>();
  const keysOf = hits.map((hit) => ({ PK: hit.PK, SK: hit.SK }));
  for (let from = 0; from < keysOf.length; from += BATCH_GET_KEYS) {
    await readBatch(client, tableName, keysOf.slice(from, from + BATCH_GET_KEYS), found);
  }
  return found;
};

/**
 * One page of a partner's requests, newest first (by expiry, latest first, when the expiry
 * index answers). It reads one more match than the page holds, so `nextCursor` is null exactly
 * on the last page: a filter never answers an empty page with a cursor.
 */
export const queryPartnerRequests = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  partnerId: string,
  options: ListOptions,
): Promise<ListPage> => {
  const { limit, cursor, ...filter } = options;
  const plan = planList(filter);
  const index = indexQueryOf(partnerId, plan, filter);
  const residual = residualExpression(partnerId, plan.residual);
  const filtered = hasResidual(plan);
  let startKey: CursorKey | undefined = cursor ? decodeCursor(cursor, index.cursor) : undefined;
  const items: SmartAccountRequest[] = [];
  let lastKey: CursorKey | undefined;
  for (;;) {
    const page = await storeCall(() =>
      client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: index.indexName,
          KeyConditionExpression: index.keyCondition,
          FilterExpression: residual.FilterExpression,
          ExpressionAttributeNames: { ...index.names, ...residual.names },
          ExpressionAttributeValues: { ...index.values, ...residual.values },
          ScanIndexForward: false,
          // A FilterExpression applies after Limit, so a combined filter reads more per round.
          Limit: filtered ? FILTERED_ROUND_LIMIT : limit + 1 - items.length,
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    const hits = page.Items ?? [];
    // Hits are read by key only as far as the page needs them. One whose item is gone or
    // changed since the index saw it (the index lags the item) is left out, and the page is
    // filled from the hits after it.
    for (let from = 0; from < hits.length; ) {
      const chunk = hits.slice(from, from + limit + 1 - items.length);
      from += chunk.length;
      const read = index.projectsItems
        ? new Map(chunk.map((hit) => [hit.PK as string, hit]))
        : await readItems(client, tableName, chunk);
      for (const hit of chunk) {
        const item = read.get(hit.PK as string);
        if (!item) continue;
        const request = toRequest(item);
        if (!index.projectsItems && !matchesFilter(request, filter)) continue;
        // The one more: the page is full and another request follows it.
        if (items.length === limit)
          return { items, nextCursor: encodeCursor(lastKey, index.cursor) };
        items.push(request);
        lastKey = cursorKeyOf(hit, index.cursor);
      }
    }
    if (!page.LastEvaluatedKey) return { items, nextCursor: null };
    startKey = page.LastEvaluatedKey as CursorKey;
  }
};
