/** The languages customer-facing e-mails and pages are written in (contract: `locale`). */
export const Locale = {
  EN: 'en',
  NL: 'nl',
} as const;
export type Locale = (typeof Locale)[keyof typeof Locale];

export const DEFAULT_LOCALE: Locale = Locale.EN;

export function isLocale(value: unknown): value is Locale {
  return value === Locale.EN || value === Locale.NL;
}
