/**
 * The security headers of every answer, in one place: HTML (the partner console and the
 * activation pages, each adding its own Content-Security-Policy) and JSON (API resources and
 * problems). API Gateway's own problem answers (infra/constructs/gateway-responses.ts) carry
 * the JSON set too.
 */

/**
 * Pages are only ever served over HTTPS on AWS (API Gateway has no plain-HTTP listener), so
 * browsers may refuse plain HTTP to this host for two years. Browsers ignore the header on the
 * local stack's http:// pages.
 */
const STRICT_TRANSPORT_SECURITY = 'max-age=63072000; includeSubDomains';

/**
 * No page uses a camera, a microphone, the location, payments or sensors: deny them to the
 * page and to anything it might ever embed. Only features every current browser knows, so
 * none of them logs an "unrecognized feature" error.
 */
const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'camera=()',
  'geolocation=()',
  'gyroscope=()',
  'magnetometer=()',
  'microphone=()',
  'payment=()',
  'usb=()',
].join(', ');

export const htmlSecurityHeaders: Readonly<Record<string, string>> = Object.freeze({
  'Strict-Transport-Security': STRICT_TRANSPORT_SECURITY,
  // Another site's window that opened ours gets no handle on it (no window.opener tricks).
  'Cross-Origin-Opener-Policy': 'same-origin',
  // Other sites cannot embed our pages or assets as resources (e.g. <img>, <script>, fetch no-cors).
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': PERMISSIONS_POLICY,
  // Activation links carry the code in their path: it must never leave in a Referer. The
  // activation POST check relies on it too (functions/activation/customer-pages.ts).
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
});

/** A JSON body is never to be sniffed into HTML or script by a browser that is pointed at it. */
export const jsonSecurityHeaders: Readonly<Record<string, string>> = Object.freeze({
  'X-Content-Type-Options': 'nosniff',
});
