import { describe, expect, it } from 'vitest';
import {
  interleavedOrder,
  latencyOf,
  mean,
  median,
  percentile,
  ratio,
} from '../../../bench/stats.ts';

describe('percentile', () => {
  it('interpolates between closest ranks', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 25)).toBe(20);
    expect(percentile([10, 20], 99)).toBeCloseTo(19.9);
  });

  it('is the extreme sample at 0 and 100, whatever the input order', () => {
    expect(percentile([3, 1, 2], 0)).toBe(1);
    expect(percentile([3, 1, 2], 100)).toBe(3);
  });

  it('is the sample itself for one sample', () => {
    expect(percentile([7], 99)).toBe(7);
  });

  it('refuses no samples, non-finite samples and out-of-range percentiles', () => {
    expect(() => percentile([], 50)).toThrow('No samples');
    expect(() => percentile([1, Number.NaN], 50)).toThrow('finite');
    expect(() => percentile([1], 101)).toThrow('out of range');
  });

  it('does not reorder the caller’s array', () => {
    const samples = [3, 1, 2];
    percentile(samples, 50);
    expect(samples).toEqual([3, 1, 2]);
  });
});

describe('median, mean and ratio', () => {
  it('takes the middle sample or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('averages', () => {
    expect(mean([1, 2, 3, 6])).toBe(3);
  });

  it('divides by a positive reference only', () => {
    expect(ratio(150, 100)).toBe(1.5);
    expect(() => ratio(1, 0)).toThrow('positive');
  });
});

describe('interleavedOrder', () => {
  it('visits every target once per round, starting one further each round', () => {
    expect(interleavedOrder(['r', 'a', 'b'], 3)).toEqual([
      ...['r', 'a', 'b'],
      ...['a', 'b', 'r'],
      ...['b', 'r', 'a'],
    ]);
  });

  it('is empty for no rounds', () => {
    expect(interleavedOrder(['a'], 0)).toEqual([]);
  });
});

describe('latencyOf', () => {
  it('gives p50, p95 and the slowest of the samples, and how many', () => {
    const samples = Array.from({ length: 21 }, (_, i) => 20 - i);
    expect(latencyOf(samples)).toEqual({ n: 21, p50: 10, p95: 19, max: 20 });
  });

  it('refuses no samples', () => {
    expect(() => latencyOf([])).toThrow('No samples');
  });
});
