import type { RequestStatus } from '../shared/status.ts';
import type { SmartAccountRequest } from './smart-account-request.ts';

/**
 * The list's filters (contract: Lists). Values arrive normalized by the query schema: the
 * domain as on create, the address lower-cased, the time as toISOString().
 */
export interface RequestFilter {
  readonly status?: RequestStatus;
  readonly accountDomain?: string;
  readonly customerEmail?: string;
  readonly expiresBefore?: string;
}

/**
 * Which index answers a list. Each filter has its own, keyed by the partner and the filter's
 * value, so a page of one filter costs what the page holds, whatever else the partner has.
 * Combined filters drive the query by the most selective one (a domain or an address names a
 * handful of requests; a status can name most of them) and check the rest on what it reads.
 * Status with expiresBefore, the "pending and expiring soon" question, has an index of its
 * own, so it is as cheap as a single filter.
 */
export const ListIndex = {
  ALL: 'all',
  BY_DOMAIN: 'byDomain',
  BY_CUSTOMER: 'byCustomer',
  BY_STATUS_EXPIRY: 'byStatusExpiry',
  BY_STATUS: 'byStatus',
  BY_EXPIRY: 'byExpiry',
} as const;
export type ListIndex = (typeof ListIndex)[keyof typeof ListIndex];

export interface ListPlan {
  readonly index: ListIndex;
  /** Filters the index's key does not answer: checked on each item it reads. */
  readonly residual: RequestFilter;
  /** The order of the index: by creation (newest first) or by expiry (latest first). */
  readonly order: 'createdAt' | 'expiresAt';
}

const without = (filter: RequestFilter, ...answered: (keyof RequestFilter)[]): RequestFilter =>
  Object.fromEntries(
    Object.entries(filter).filter(
      ([name, value]) => value !== undefined && !answered.includes(name as keyof RequestFilter),
    ),
  );

export const planList = (filter: RequestFilter): ListPlan => {
  if (filter.accountDomain !== undefined) {
    return {
      index: ListIndex.BY_DOMAIN,
      residual: without(filter, 'accountDomain'),
      order: 'createdAt',
    };
  }
  if (filter.customerEmail !== undefined) {
    return {
      index: ListIndex.BY_CUSTOMER,
      residual: without(filter, 'customerEmail'),
      order: 'createdAt',
    };
  }
  if (filter.status !== undefined && filter.expiresBefore !== undefined) {
    return { index: ListIndex.BY_STATUS_EXPIRY, residual: {}, order: 'expiresAt' };
  }
  if (filter.status !== undefined) {
    return { index: ListIndex.BY_STATUS, residual: {}, order: 'createdAt' };
  }
  if (filter.expiresBefore !== undefined) {
    return { index: ListIndex.BY_EXPIRY, residual: {}, order: 'expiresAt' };
  }
  return { index: ListIndex.ALL, residual: {}, order: 'createdAt' };
};

export const hasResidual = (plan: ListPlan): boolean => Object.keys(plan.residual).length > 0;

/** Whether a request is in the filtered list (all filters hold). */
export const matchesFilter = (
  request: Pick<SmartAccountRequest, 'status' | 'accountDomain' | 'customerEmail' | 'expiresAt'>,
  filter: RequestFilter,
): boolean =>
  (filter.status === undefined || request.status === filter.status) &&
  (filter.accountDomain === undefined || request.accountDomain === filter.accountDomain) &&
  (filter.customerEmail === undefined ||
    request.customerEmail.toLowerCase() === filter.customerEmail.toLowerCase()) &&
  (filter.expiresBefore === undefined || request.expiresAt < filter.expiresBefore);
