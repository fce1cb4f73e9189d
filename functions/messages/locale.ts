/** Locale-aware formatting for customer-facing e-mails and pages. */
import type { Locale } from '../shared/locale.ts';

export { DEFAULT_LOCALE, isLocale, Locale } from '../shared/locale.ts';

// en-GB rather than en-US: a 24-hour clock and day-month order read unambiguously for an
// international audience.
const DATE_TIME_FORMATS: Readonly<Record<Locale, Intl.DateTimeFormat>> = {
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }),
  nl: new Intl.DateTimeFormat('nl-NL', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }),
};

/**
 * "23 February 2027 at 10:00 UTC" / "23 februari 2027 om 10:00 UTC". Always UTC, and says so:
 * we do not know the reader's time zone.
 */
export function formatDateTime(isoTimestamp: string, locale: Locale): string {
  const date = new Date(isoTimestamp);
  if (Number.isNaN(date.getTime())) {
    throw new RangeError(`Not an ISO timestamp: ${JSON.stringify(isoTimestamp)}`);
  }
  return `${DATE_TIME_FORMATS[locale].format(date)} UTC`;
}
