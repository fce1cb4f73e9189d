/**
 * Response headers of every activation page. The pages run no script, load nothing from
 * elsewhere and may only post their forms back to this service.
 */
import { pageCssSource } from './page-style.ts';

export const contentSecurityPolicy = [
  "default-src 'none'",
  `style-src ${pageCssSource}`,
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const pageHeaders: Readonly<Record<string, string>> = Object.freeze({
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': contentSecurityPolicy,
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
});
