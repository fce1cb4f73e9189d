/**
 * When a pending request reminds its customer: at each offset (seconds before `expiresAt`) of
 * ACTIVATION_REMINDER_SECONDS. Only `nextReminderAt` is stored; every later reminder follows
 * from `expiresAt` and the offsets, so an extension moves them all by writing two attributes.
 */

/** 60, 30 and 7 days before expiry (contract). */
export const DEFAULT_REMINDER_OFFSETS_SECONDS: readonly number[] = [5_184_000, 2_592_000, 604_800];

/**
 * `"5184000,2592000,604800"`: positive whole seconds, any order, duplicates ignored. Empty or
 * unset means the default; a bad list is a configuration error, thrown at start.
 */
export const parseReminderOffsets = (raw: string | undefined): readonly number[] => {
  if (raw === undefined || raw.trim() === '') return DEFAULT_REMINDER_OFFSETS_SECONDS;
  const offsets = raw.split(',').map((part) => Number(part.trim()));
  if (offsets.some((offset) => !Number.isInteger(offset) || offset <= 0)) {
    throw new Error(`ACTIVATION_REMINDER_SECONDS must be positive whole seconds, got "${raw}"`);
  }
  return [...new Set(offsets)].sort((a, b) => b - a);
};

/** The reminder times of a request expiring at `expiresAt`, earliest first. */
export const reminderTimes = (expiresAt: string, offsets: readonly number[]): Date[] => {
  const expiry = Date.parse(expiresAt);
  return [...offsets].sort((a, b) => b - a).map((offset) => new Date(expiry - offset * 1000));
};

/**
 * The first reminder strictly after `after`, or null when none is left. Called with the create
 * or extend time (offsets already past are skipped, not sent at once) and with the time a
 * reminder went out (a late wake that finds several overdue sends one, then plans the next).
 */
export const nextReminderAfter = (
  expiresAt: string,
  offsets: readonly number[],
  after: Date,
): string | null =>
  reminderTimes(expiresAt, offsets)
    .find((time) => time.getTime() > after.getTime())
    ?.toISOString() ?? null;

const DAY_MS = 86_400_000;

/**
 * Whole days from `now` to `expiresAt` for the reminder's text, rounded: a reminder sent on time
 * 7 days before says 7 even if the wake was a few seconds late. 0 reads as "within a day".
 */
export const daysLeft = (expiresAt: string, now: Date): number =>
  Math.max(0, Math.round((Date.parse(expiresAt) - now.getTime()) / DAY_MS));
