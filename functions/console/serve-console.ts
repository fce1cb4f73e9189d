import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { htmlSecurityHeaders } from '../http/security-headers.ts';
import { observedHandler } from '../shared/observability.ts';

/**
 * The partner console: one HTML page and the ES modules and style sheet it loads. They are
 * bundled next to this module and read once per container, so a request never touches the
 * file system.
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
  readonly etag: string;
}

const ASSET_DIRECTORY = new URL('./assets/', import.meta.url);

const read = (file: string): string => readFileSync(new URL(file, ASSET_DIRECTORY), 'utf8');

/**
 * An ETag only has to change when the content does, so a 53-bit non-cryptographic hash
 * (cyrb53) serves; node:crypto would add about 11 ms to every cold start just to load.
 */
const etagOf = (body: string): string => {
  let h1 = 0xdeadbeef ^ body.length;
  let h2 = 0x41c6ce57 ^ body.length;
  for (let i = 0; i < body.length; i++) {
    const code = body.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const hash = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  return `"${body.length.toString(36)}-${hash.toString(36)}"`;
};

const asset = (body: string, contentType: string): Asset => ({
  body,
  contentType,
  etag: etagOf(body),
});

const page = asset(read('index.html'), 'text/html; charset=utf-8');

/**
 * Papa Parse, which reads the CSV upload and writes the results and the list's export
 * (papaparse-loader.js imports `./papaparse.js`), read from the papaparse package: locally
 * from node_modules, on Lambda from the copy the bundling ships beside the bundle
 * (infra/constructs/bundling.ts), so no copy of the library lives in our sources. Its
 * browser build is UMD, which sets `module.exports` when `module` and `exports` exist: the
 * module below gives it both and exports what it set, which makes it an ES module that
 * `script-src 'self'` allows without a global or a second kind of script.
 */
const papaparse = asset(
  [
    'const module = { exports: {} };',
    'const exports = module.exports;',
    readFileSync(createRequire(import.meta.url).resolve('papaparse/papaparse.min.js'), 'utf8'),
    'export default module.exports;',
    '',
  ].join('\n'),
  'text/javascript; charset=utf-8',
);

/** What `GET /console/{file}` serves, by extension; the page itself is only served at `/`. */
const SERVED_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * The allow-list is the asset directory as bundled, read once: a module added there is served
 * (and shipped: the CDK bundling copies the whole directory) with nothing else to list; and
 * Papa Parse. The file name from the URL is only ever a key into this map, never part of a path.
 */
const servedAssets: ReadonlyMap<string, Asset> = new Map([
  ...readdirSync(ASSET_DIRECTORY).flatMap((file) => {
    const contentType = SERVED_TYPES[extname(file)];
    return contentType ? [[file, asset(read(file), contentType)] as const] : [];
  }),
  ['papaparse.js', papaparse] as const,
]);

const notFound = asset('Not found\n', 'text/plain; charset=utf-8');

// The HTML set on the modules and style sheet too: Cross-Origin-Resource-Policy matters most
// there (no other site may load them), and the rest costs nothing.
const headersFor = (served: Asset): Record<string, string> => ({
  ...htmlSecurityHeaders,
  'Content-Type': served.contentType,
  // Every file is revalidated (a 304 when unchanged): the page and the modules it imports,
  // at unversioned URLs, then always come from the same deploy, where a max-age could pair
  // a new module with a stale one it imports.
  'Cache-Control': 'no-cache',
  ETag: served.etag,
  'Content-Security-Policy': contentSecurityPolicy,
});

const respond = (statusCode: number, served: Asset): APIGatewayProxyResult => ({
  statusCode,
  headers: headersFor(served),
  body: served.body,
});

/** `If-None-Match` may list several tags, or be `*`; header names arrive in any case. */
const isCurrent = (event: APIGatewayProxyEvent, served: Asset): boolean => {
  const [, header] =
    Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === 'if-none-match') ??
    [];
  if (!header) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === served.etag);
};

const answer = (event: APIGatewayProxyEvent, served: Asset): APIGatewayProxyResult =>
  isCurrent(event, served)
    ? { statusCode: 304, headers: headersFor(served), body: '' }
    : respond(200, served);

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
    ? asset(page.body.replaceAll('="/console/', `="${basePath}/console/`), page.contentType)
    : page;

/** `GET /` has no path parameter; `GET /console/{file}` always has one. */
export const handler = observedHandler(
  async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const file = event.pathParameters?.file;
    if (file === undefined) return answer(event, pageUnder(basePathOf(event)));
    const served = servedAssets.get(file);
    return served ? answer(event, served) : respond(404, notFound);
  },
);
