import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REMINDER_OFFSETS_SECONDS,
  daysLeft,
  nextReminderAfter,
  parseReminderOffsets,
  reminderTimes,
} from '../../../functions/domain/reminders.ts';

const DAY = 86_400;
const expiresAt = '2027-03-01T10:00:00.000Z';

describe('reminder offsets', () => {
  it('defaults to 60, 30 and 7 days before expiry', () => {
    expect(DEFAULT_REMINDER_OFFSETS_SECONDS).toEqual([60 * DAY, 30 * DAY, 7 * DAY]);
    expect(parseReminderOffsets(undefined)).toBe(DEFAULT_REMINDER_OFFSETS_SECONDS);
    expect(parseReminderOffsets(' ')).toBe(DEFAULT_REMINDER_OFFSETS_SECONDS);
  });

  it('reads a list in any order, without duplicates, longest offset first', () => {
    expect(parseReminderOffsets('20, 40,20')).toEqual([40, 20]);
  });

  it.each(['0', '-5', '1.5', 'ten', '40,,20'])('refuses "%s"', (raw) => {
    expect(() => parseReminderOffsets(raw)).toThrow(/ACTIVATION_REMINDER_SECONDS/);
  });
});

describe('planning reminders', () => {
  const offsets = DEFAULT_REMINDER_OFFSETS_SECONDS;

  it('puts them at each offset before the expiry, earliest first', () => {
    expect(reminderTimes(expiresAt, offsets).map((time) => time.toISOString())).toEqual([
      '2026-12-31T10:00:00.000Z',
      '2027-01-30T10:00:00.000Z',
      '2027-02-22T10:00:00.000Z',
    ]);
  });

  it('plans the first one after the create, skipping offsets already past', () => {
    // Created 40 days before expiry: the 60-day reminder is past and skipped, not sent at once.
    const created = new Date(Date.parse(expiresAt) - 40 * DAY * 1000);
    expect(nextReminderAfter(expiresAt, offsets, created)).toBe('2027-01-30T10:00:00.000Z');
  });

  it('plans the next one after a reminder went out, and none after the last', () => {
    expect(nextReminderAfter(expiresAt, offsets, new Date('2027-01-30T10:00:00.000Z'))).toBe(
      '2027-02-22T10:00:00.000Z',
    );
    expect(nextReminderAfter(expiresAt, offsets, new Date('2027-02-22T10:00:00.000Z'))).toBeNull();
  });

  it('plans none when the timeout is shorter than every offset', () => {
    const created = new Date(Date.parse(expiresAt) - 60_000);
    expect(nextReminderAfter(expiresAt, offsets, created)).toBeNull();
  });

  it('counts the days left as a reminder sent on time says them', () => {
    expect(daysLeft(expiresAt, new Date('2027-02-22T10:00:05.000Z'))).toBe(7);
    expect(daysLeft(expiresAt, new Date('2027-03-01T09:00:00.000Z'))).toBe(0);
    expect(daysLeft(expiresAt, new Date('2027-03-02T09:00:00.000Z'))).toBe(0);
  });
});
