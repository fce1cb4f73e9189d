/** Limits guessing on the public activation routes: misses per client per window. */
export interface AttemptLimiter {
  /** Seconds until the client may try again, or 0 when it is not blocked. */
  blockedFor(client: string): Promise<number>;
  recordMiss(client: string): Promise<void>;
}
