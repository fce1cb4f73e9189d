import { describe, expect, it } from 'vitest';
import { formatDateTime, isLocale } from '../../../functions/messages/locale.ts';

describe('formatDateTime', () => {
  it('formats in English with a 24-hour UTC time', () => {
    expect(formatDateTime('2027-02-23T14:05:00.000Z', 'en')).toBe('23 February 2027 at 14:05 UTC');
  });

  it('formats in Dutch', () => {
    expect(formatDateTime('2027-02-23T14:05:00.000Z', 'nl')).toBe('23 februari 2027 om 14:05 UTC');
  });

  it('uses UTC, not the host time zone, near midnight', () => {
    expect(formatDateTime('2027-12-31T23:30:00.000Z', 'en')).toBe('31 December 2027 at 23:30 UTC');
  });

  it('rejects a value that is not a timestamp', () => {
    expect(() => formatDateTime('soon', 'en')).toThrow(RangeError);
  });
});

describe('isLocale', () => {
  it('accepts en and nl only', () => {
    expect([isLocale('en'), isLocale('nl'), isLocale('de'), isLocale(undefined)]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});
