/**
 * Key design of the one table (see docs/architecture.md). Every item kind has its own PK
 * prefix so a key can never address an item of another kind.
 */
export const keys = {
  request: (id: string) => ({ PK: `REQUEST#${id}`, SK: 'REQUEST' }),
  domainLock: (domain: string) => ({ PK: `DOMAIN#${domain}`, SK: 'LOCK' }),
  activationCode: (codeHash: string) => ({ PK: `CODE#${codeHash}`, SK: 'CODE' }),
  partner: (partnerId: string) => ({ PK: `PARTNER#${partnerId}`, SK: 'PROFILE' }),
  apiKey: (keyHash: string) => ({ PK: `APIKEY#${keyHash}`, SK: 'APIKEY' }),
  idempotency: (scope: string, key: string) => ({
    PK: `IDEMPOTENCY#${scope}#${key}`,
    SK: 'IDEMPOTENCY',
  }),
  /** In the request's own partition: its timeline is one Query, oldest first. */
  requestEvent: (requestId: string, createdAt: string, eventId: string) => ({
    PK: `REQUEST#${requestId}`,
    SK: `EVENT#${createdAt}#${eventId}`,
  }),
  /** Under the partner's own partition: another partner's endpoint id addresses nothing. */
  webhookEndpoint: (partnerId: string, endpointId: string) => ({
    PK: `PARTNER#${partnerId}`,
    SK: `ENDPOINT#${endpointId}`,
  }),
  /** An endpoint's deliveries, one partition per endpoint; event ids sort by time. */
  delivery: (endpointId: string, eventId: string) => ({
    PK: `ENDPOINT#${endpointId}`,
    SK: `DELIVERY#${eventId}`,
  }),
  partnerRequestsIndex: (partnerId: string) => `PARTNER#${partnerId}`,
  /** The partner's per-status counters (functions/domain/status-counts.ts). */
  statusCounts: (partnerId: string) => ({ PK: `PARTNER#${partnerId}`, SK: 'COUNTS' }),
  sweepShard: (shard: number) => `SWEEP#${shard}`,
} as const;

/**
 * The sparse sweep index: only unsettled requests carry `sweepShard`, so the sweep reads
 * exactly those. Spread over a few shards so a burst of creates does not write one hot index
 * partition; every pass queries all of them. It projects only what the sweep decides on.
 */
export const SWEEP_INDEX = {
  indexName: 'Sweep',
  partitionKey: 'sweepShard',
  sortKey: 'sweepAt',
  projected: [
    'id',
    'status',
    'notifiedStatus',
    'taskToken',
    'executionAttempt',
    'wakeAt',
    'sweepRepairs',
    'pendingEvents',
  ],
} as const;
export const SWEEP_SHARDS = 8;

const shardNumberOf = (requestId: string): number => {
  let hash = 0;
  for (const char of requestId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % SWEEP_SHARDS;
};

/** A request's shard: stable per id, spread evenly (ids end in random characters). */
export const sweepShardOf = (requestId: string): string =>
  keys.sweepShard(shardNumberOf(requestId));

/**
 * Where a settled request waits in the sweep index for its retention to end (the local stack):
 * shards of their own, so the many retained requests never crowd the unsettled ones out of a
 * pass (the start's pass over everything reads only the unsettled shards in full).
 */
export const retentionShard = (shard: number): string => `SWEEP#retain#${shard}`;
export const retentionShardOf = (requestId: string): string =>
  retentionShard(shardNumberOf(requestId));

/**
 * The sparse index of pending webhook deliveries: only a pending delivery carries
 * `pendingShard` and `pendingAt` (its next attempt), so the sweep finds those whose execution
 * should have attempted them long ago (gone after a crash or a local restart).
 */
export const PENDING_DELIVERIES_INDEX = {
  indexName: 'PendingDeliveries',
  partitionKey: 'pendingShard',
  sortKey: 'pendingAt',
  projected: ['endpointId', 'eventId', 'attempts', 'redeliveries'],
} as const;
export const PENDING_DELIVERY_SHARDS = 4;

export const pendingShardOf = (eventId: string): string => {
  let hash = 0;
  for (const char of eventId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `DELIVERIES#${hash % PENDING_DELIVERY_SHARDS}`;
};

export const PARTNER_REQUESTS_INDEX = 'GSI1';

/**
 * The list's filter indexes. Each is keyed by the partner and one filter's value, so a page
 * of one filter reads that filter's requests only, never the partner's others. They project
 * only the other filters' key attributes (for combined filters, as a FilterExpression) and the
 * page's items are then read by key: the indexes are written only when a filtered value
 * changes (a close, a PATCH of the customer, an extension), not on every update of a request.
 */
export const FILTER_ATTRIBUTES = {
  status: 'statusKey',
  accountDomain: 'domainKey',
  customerEmail: 'customerKey',
  expiry: 'expiryKey',
} as const;

export const FILTER_INDEXES = {
  byStatus: { indexName: 'PartnerStatus', partitionKey: 'statusKey', sortKey: 'GSI1SK' },
  byDomain: { indexName: 'PartnerDomain', partitionKey: 'domainKey', sortKey: 'GSI1SK' },
  byCustomer: { indexName: 'PartnerCustomer', partitionKey: 'customerKey', sortKey: 'GSI1SK' },
  byExpiry: { indexName: 'PartnerExpiry', partitionKey: 'GSI1PK', sortKey: 'expiryKey' },
  byStatusExpiry: {
    indexName: 'PartnerStatusExpiry',
    partitionKey: 'statusKey',
    sortKey: 'expiryKey',
  },
} as const;
export type FilterIndex = (typeof FILTER_INDEXES)[keyof typeof FILTER_INDEXES];

/** What every filter index projects beyond its own keys (and the table's). */
export const filterIndexProjection = (index: FilterIndex): string[] =>
  [...Object.values(FILTER_ATTRIBUTES), 'GSI1SK'].filter(
    (attribute) => attribute !== index.partitionKey && attribute !== index.sortKey,
  );

/** The filter keys of a request: values as the list's filters compare them. */
export const filterKeys = {
  status: (partnerId: string, status: string) => `PARTNER#${partnerId}#STATUS#${status}`,
  accountDomain: (partnerId: string, domain: string) => `PARTNER#${partnerId}#DOMAIN#${domain}`,
  // customerEmail is stored lower-cased already; lower-casing again keeps the filter
  // case-insensitive for any item written otherwise.
  customerEmail: (partnerId: string, email: string) =>
    `PARTNER#${partnerId}#CUSTOMER#${email.toLowerCase()}`,
  expiry: (expiresAt: string, requestId: string) => `${expiresAt}#${requestId}`,
} as const;
export const TTL_ATTRIBUTE = 'ttl';
