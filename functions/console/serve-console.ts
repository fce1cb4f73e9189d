import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

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

const respond = (statusCode: number, asset: Asset): APIGatewayProxyResult => ({
  statusCode,
  headers: {
    'Content-Type': asset.contentType,
    'Cache-Control': asset.cacheControl,
    'Content-Security-Policy': contentSecurityPolicy,
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
  },
  body: asset.body,
});

/** `GET /` has no path parameter; `GET /console/{file}` always has one. */
export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const file = event.pathParameters?.file;
  if (file === undefined) return respond(200, page);
  const asset = assets.get(file);
  return asset ? respond(200, asset) : respond(404, notFound);
};
