/**
 * Response headers of every activation page: the HTML security headers every page of the
 * service sends, and this page's own CSP. The pages run no script, load nothing from elsewhere
 * and may only post their forms back to this service.
 */
import { htmlSecurityHeaders } from '../http/security-headers.ts';
import { pageCssSource } from './page-style.ts';

export const contentSecurityPolicy = [
  "default-src 'none'",
  `style-src ${pageCssSource}`,
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const pageHeaders: Readonly<Record<string, string>> = Object.freeze({
  ...htmlSecurityHeaders,
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': contentSecurityPolicy,
  'Cache-Control': 'no-store',
});
