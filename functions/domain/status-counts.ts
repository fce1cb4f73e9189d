import { type RequestStatus, requestStatuses } from '../shared/status.ts';
import type { SmartAccountRequest } from './smart-account-request.ts';

/**
 * A partner's requests per status (`GET …/counts`), kept by counters rather than counted on
 * read: a read is one item, whatever the partner has.
 *
 * Exactly once without transactions (dynalite has none): the request item says which status
 * the counters count it under (`countedStatus`). Moving it is three writes, each repeatable:
 *  1. the counter item: +1 for the new status, -1 for the old, and a marker for this request
 *     naming the change (`<from>><to>`), only while the request has no marker there;
 *  2. the request: `countedStatus` from the old to the new;
 *  3. the counter item: the marker removed.
 * A crash after 1 leaves the request uncounted; a retry of the same change finds its own
 * marker (1 is not applied twice) and goes on. A later change that finds another change's
 * marker (the request closed before its first count was confirmed) confirms that one first
 * and then counts only what is left. A crash after 2 leaves a marker the next change clears.
 *
 * The steps must not run twice at the same time for the same request: a second actor that read
 * the request before 2 and writes 1 after 3 would count it again. So only one actor per request
 * counts: its execution (the first Wake counts the new request, Settle its close; steps of an
 * execution run one after another, and a new execution is started only for one that is gone),
 * and the retention that deletes it.
 */
export type StatusCounts = Readonly<Record<RequestStatus, number>>;

/** What the counters count a request under once retention deleted it: nothing. */
export const FORGOTTEN = 'FORGOTTEN' as const;

export interface CountChange {
  /** Absent: the request was not counted yet. */
  readonly from?: RequestStatus;
  readonly to: RequestStatus | typeof FORGOTTEN;
}

/** The marker a change leaves on the counter item until the request confirms it. */
export const markOf = (change: CountChange): string => `${change.from ?? ''}>${change.to}`;

export const changeOfMark = (mark: string): CountChange => {
  const [from, to] = mark.split('>') as [string, string];
  return { ...(from ? { from: from as RequestStatus } : {}), to: to as CountChange['to'] };
};

/**
 * What is left of `wanted` once `done` is counted: from where `done` left the request to where
 * `wanted` goes; nothing when they end in the same place, or when `done` forgot the request.
 */
export const remainderAfter = (done: CountChange, wanted: CountChange): CountChange | undefined =>
  done.to === wanted.to || done.to === FORGOTTEN ? undefined : { from: done.to, to: wanted.to };

/** The change that brings the counters up to the request's status, if they lag it. */
export const countChangeOf = (
  request: Pick<SmartAccountRequest, 'status' | 'countedStatus'>,
): CountChange | undefined =>
  request.countedStatus === request.status
    ? undefined
    : { from: request.countedStatus, to: request.status };

/** The change that takes a deleted request out of the counters (if it was ever in them). */
export const forgetChangeOf = (
  request: Pick<SmartAccountRequest, 'countedStatus'>,
): CountChange | undefined =>
  request.countedStatus ? { from: request.countedStatus, to: FORGOTTEN } : undefined;

/** The counters as stored (absent statuses are 0), in the contract's order. */
export const countsFrom = (stored: Readonly<Record<string, unknown>> | undefined): StatusCounts =>
  Object.fromEntries(
    requestStatuses.map((status) => {
      const value = stored?.[status];
      return [status, typeof value === 'number' ? value : 0];
    }),
  ) as Record<RequestStatus, number>;

export interface StatusCounter {
  /**
   * Applies the change (steps 1 to 3 above). `confirm` is step 2: by default the request's
   * `countedStatus` moves; retention passes the deletion of the request instead.
   */
  apply(
    partnerId: string,
    requestId: string,
    change: CountChange,
    confirm?: () => Promise<void>,
  ): Promise<void>;
  read(partnerId: string): Promise<StatusCounts>;
}

/** Brings the counters up to a request as its execution reads it. */
export const countRequest = async (
  counter: Pick<StatusCounter, 'apply'>,
  request: Pick<SmartAccountRequest, 'id' | 'partnerId' | 'status' | 'countedStatus'>,
): Promise<void> => {
  const change = countChangeOf(request);
  if (change) await counter.apply(request.partnerId, request.id, change);
};

/** A request store whose reads also bring the counters up to the request read (Wake). */
export const countingReads = <
  R extends Pick<SmartAccountRequest, 'id' | 'partnerId' | 'status' | 'countedStatus'>,
>(
  requests: { get(requestId: string): Promise<R | undefined> },
  counter: Pick<StatusCounter, 'apply'>,
) => ({
  async get(requestId: string): Promise<R | undefined> {
    const request = await requests.get(requestId);
    if (request) await countRequest(counter, request);
    return request;
  },
});
