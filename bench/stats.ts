/** Pure statistics for the benchmark: no I/O, unit-tested in test/unit/bench. */

const sorted = (values: readonly number[]): number[] => {
  if (values.length === 0) throw new Error('No samples');
  for (const value of values) {
    if (!Number.isFinite(value)) throw new Error(`Not a finite sample: ${value}`);
  }
  return [...values].sort((a, b) => a - b);
};

/**
 * The p-th percentile (0 <= p <= 100) by linear interpolation between closest ranks (the
 * method of NumPy's default and of most load tools), so p50 of an even count is the mean of
 * the two middle samples.
 */
export const percentile = (values: readonly number[], p: number): number => {
  if (!(p >= 0 && p <= 100)) throw new Error(`Percentile out of range: ${p}`);
  const ordered = sorted(values);
  const rank = (p / 100) * (ordered.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const low = ordered[lower] as number;
  const high = ordered[upper] as number;
  return low + (high - low) * (rank - lower);
};

export const median = (values: readonly number[]): number => percentile(values, 50);

export const mean = (values: readonly number[]): number =>
  sorted(values).reduce((sum, value) => sum + value, 0) / values.length;

/** `measured / reference`; a reference of zero or less has no meaningful ratio. */
export const ratio = (measured: number, reference: number): number => {
  if (!(reference > 0)) throw new Error(`Reference must be positive, got ${reference}`);
  return measured / reference;
};

/**
 * Runs `targets` `rounds` times, interleaved: every round visits every target once, and the
 * starting target rotates per round, so drift (thermal, cache, background load) spreads
 * evenly over all targets instead of biasing the ones measured last.
 */
export const interleavedOrder = <T>(targets: readonly T[], rounds: number): T[] => {
  const order: T[] = [];
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < targets.length; i++) {
      order.push(targets[(i + round) % targets.length] as T);
    }
  }
  return order;
};

/** p50, p95 and the slowest of a set of timings, with how many there were. */
export interface Latency {
  readonly n: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

export const latencyOf = (samples: readonly number[]): Latency => ({
  n: samples.length,
  p50: percentile(samples, 50),
  p95: percentile(samples, 95),
  max: percentile(samples, 100),
});
