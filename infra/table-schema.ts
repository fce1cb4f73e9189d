import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import {
  FILTER_INDEXES,
  type FilterIndex,
  filterIndexProjection,
  PENDING_DELIVERIES_INDEX,
  SWEEP_INDEX,
} from '../functions/adapters/table-keys.ts';

export {
  FILTER_INDEXES,
  type FilterIndex,
  filterIndexProjection,
  PENDING_DELIVERIES_INDEX,
  SWEEP_INDEX,
};

/** The list's filter indexes (functions/domain/request-filters.ts), each keyed by partner and value. */
export const filterIndexes: readonly FilterIndex[] = Object.values(FILTER_INDEXES);

/**
 * The one table's key schema (docs/architecture.md). The CDK stack and the local stack both
 * build the table from here, so dynalite and DynamoDB cannot drift apart. Plain data only:
 * the local stack imports it without loading aws-cdk-lib.
 */
export const TABLE_KEYS = { partitionKey: 'PK', sortKey: 'SK' } as const;

/** Partner requests newest first: GSI1PK `PARTNER#<partnerId>`, GSI1SK `<createdAt>#<id>`. */
export const PARTNER_REQUESTS_INDEX = {
  indexName: 'GSI1',
  partitionKey: 'GSI1PK',
  sortKey: 'GSI1SK',
} as const;

/** Epoch seconds; DynamoDB deletes expired idempotency records. */
export const TTL_ATTRIBUTE = 'ttl';

/** The DynamoDB CreateTable request for this schema, e.g. for dynalite. TTL is set separately. */
export const createTableInput = (tableName: string): CreateTableCommandInput => ({
  TableName: tableName,
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: TABLE_KEYS.partitionKey, AttributeType: 'S' },
    { AttributeName: TABLE_KEYS.sortKey, AttributeType: 'S' },
    { AttributeName: PARTNER_REQUESTS_INDEX.partitionKey, AttributeType: 'S' },
    { AttributeName: PARTNER_REQUESTS_INDEX.sortKey, AttributeType: 'S' },
    { AttributeName: SWEEP_INDEX.partitionKey, AttributeType: 'S' },
    { AttributeName: SWEEP_INDEX.sortKey, AttributeType: 'S' },
    { AttributeName: PENDING_DELIVERIES_INDEX.partitionKey, AttributeType: 'S' },
    { AttributeName: PENDING_DELIVERIES_INDEX.sortKey, AttributeType: 'S' },
    // The filter indexes' own keys (GSI1PK and GSI1SK are defined above).
    ...[...new Set(filterIndexes.flatMap((index) => [index.partitionKey, index.sortKey]))]
      .filter(
        (name) =>
          name !== PARTNER_REQUESTS_INDEX.partitionKey && name !== PARTNER_REQUESTS_INDEX.sortKey,
      )
      .map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
  ],
  KeySchema: [
    { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
    { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: PARTNER_REQUESTS_INDEX.indexName,
      KeySchema: [
        { AttributeName: PARTNER_REQUESTS_INDEX.partitionKey, KeyType: 'HASH' },
        { AttributeName: PARTNER_REQUESTS_INDEX.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
    {
      IndexName: SWEEP_INDEX.indexName,
      KeySchema: [
        { AttributeName: SWEEP_INDEX.partitionKey, KeyType: 'HASH' },
        { AttributeName: SWEEP_INDEX.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...SWEEP_INDEX.projected] },
    },
    {
      IndexName: PENDING_DELIVERIES_INDEX.indexName,
      KeySchema: [
        { AttributeName: PENDING_DELIVERIES_INDEX.partitionKey, KeyType: 'HASH' },
        { AttributeName: PENDING_DELIVERIES_INDEX.sortKey, KeyType: 'RANGE' },
      ],
      Projection: {
        ProjectionType: 'INCLUDE',
        NonKeyAttributes: [...PENDING_DELIVERIES_INDEX.projected],
      },
    },
    ...filterIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: {
        ProjectionType: 'INCLUDE' as const,
        NonKeyAttributes: filterIndexProjection(index),
      },
    })),
  ],
});
