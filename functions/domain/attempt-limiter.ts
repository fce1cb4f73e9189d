/**
 * Limits guessing on the public activation routes: misses per client per window. The check
 * and the count are one conditional write made before the lookup (a reservation), so parallel
 * guesses cannot all pass a check that none of them has counted yet; a lookup that finds its
 * request gives its reservation back.
 */
export interface AttemptLimiter {
  /** Counts one lookup if the client has misses left: 0, or the seconds until it may try again. */
  reserve(client: string): Promise<number>;
  /** The lookup found its request: it was not a miss. */
  release(client: string): Promise<void>;
}

export type LimitedLookup<T> =
  | { readonly blockedForSeconds: number }
  | { readonly blockedForSeconds: 0; readonly found: T | undefined };

/** Runs a code lookup within the client's miss allowance. */
export const lookupWithinLimit = async <T>(
  limiter: AttemptLimiter,
  client: string,
  lookup: () => Promise<T | undefined>,
): Promise<LimitedLookup<T>> => {
  const blockedForSeconds = await limiter.reserve(client);
  if (blockedForSeconds > 0) return { blockedForSeconds };
  const found = await lookup();
  if (found !== undefined) await limiter.release(client);
  return { blockedForSeconds: 0, found };
};
