/**
 * When a failed webhook delivery is tried again (WEBHOOK_RETRY_SECONDS). A module of its own,
 * with no imports: configuration reads it in every handler.
 */

/** Delays between attempts (contract): 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: about 27 h. */
export const DEFAULT_WEBHOOK_RETRY_SECONDS: readonly number[] = [
  5, 300, 1800, 7200, 18000, 36000, 36000,
];

/** `"5,300,1800"`: positive whole seconds in order; empty or unset means the default. */
export const parseRetrySeconds = (raw: string | undefined): readonly number[] => {
  if (raw === undefined || raw.trim() === '') return DEFAULT_WEBHOOK_RETRY_SECONDS;
  const delays = raw.split(',').map((part) => Number(part.trim()));
  if (delays.some((delay) => !Number.isInteger(delay) || delay <= 0)) {
    throw new Error(`WEBHOOK_RETRY_SECONDS must be positive whole seconds, got "${raw}"`);
  }
  return delays;
};
