import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { htmlSecurityHeaders } from '../http/security-headers.ts';

/**
 * The partner console: one HTML page and two static assets. They are bundled next to this
 * module and read once per container, so a request never touches the file system.
 */

export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  readonly body: string;
  readonly contentType: string;
  readonly cacheControl: string;
}

const read = (file: string): string =>
  readFileSync(new URL(`./assets/${file}`, import.meta.url), 'utf8');

// The page is never cached so a deploy shows at once; the assets it names may be a few
// minutes stale, which is the price of unversioned URLs.
const page: Asset = {
  body: read('index.html'),
  contentType: 'text/html; charset=utf-8',
  cacheControl: 'no-cache',
};

// An allow-list, not a directory lookup: the file name comes from the URL.
const assets = new Map<string, Asset>([
  [
    'app.js',
    {
      body: read('app.js'),
      contentType: 'text/javascript; charset=utf-8',
      cacheControl: 'public, max-age=300',
    },
  ],
  [
    'app.css',
    {
      body: read('app.css'),
      contentType: 'text/css; charset=utf-8',
      cacheControl: 'public, max-age=300',
    },
  ],
]);

const notFound: Asset = {
  body: 'Not found\n',
  contentType: 'text/plain; charset=utf-8',
  cacheControl: 'no-cache',
};

// The HTML set on the script and style sheet too: Cross-Origin-Resource-Policy matters most
// there (no other site may load them), and the rest costs nothing.
const respond = (statusCode: number, asset: Asset): APIGatewayProxyResult => ({
  statusCode,
  headers: {
    ...htmlSecurityHeaders,
    'Content-Type': asset.contentType,
    'Cache-Control': asset.cacheControl,
    'Content-Security-Policy': contentSecurityPolicy,
  },
  body: asset.body,
});

/**
 * The stage or base path the page was requested under: `/prod` on the default execute-api
 * URL, empty on a custom domain or locally. The page's `/console/...` links need it, and
 * `base-uri 'none'` rules out a <base> element. Anything but plain path segments is ignored.
 */
export const basePathOf = (event: APIGatewayProxyEvent): string => {
  const requested = (event.requestContext?.path ?? event.path).replace(/\/+$/, '');
  const routed = event.path.replace(/\/+$/, '');
  if (!requested.endsWith(routed)) return '';
  const prefix = requested.slice(0, requested.length - routed.length);
  return /^(?:\/[A-Za-z0-9_-]+)*$/.test(prefix) ? prefix : '';
};

const pageUnder = (basePath: string): Asset =>
  basePath
    ? { ...page, body: page.body.replaceAll('="/console/', `="${basePath}/console/`) }
    : page;

/** `GET /` has no path parameter; `GET /console/{file}` always has one. */
export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const file = event.pathParameters?.file;
  if (file === undefined) return respond(200, pageUnder(basePathOf(event)));
  const asset = assets.get(file);
  return asset ? respond(200, asset) : respond(404, notFound);
};
