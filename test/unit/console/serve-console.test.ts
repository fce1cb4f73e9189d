import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { en } from '../../../functions/console/assets/strings-en.js';
import {
  basePathOf,
  contentSecurityPolicy,
  handler as serveConsole,
} from '../../../functions/console/serve-console.ts';
import { requestStatuses } from '../../../functions/shared/status.ts';
import { lambdaContext } from '../../../local/lambda-context.ts';

/** Invoked as Lambda does, with a context. */
const handler = (event: APIGatewayProxyEvent) =>
  serveConsole(event, lambdaContext('console-serve-console'));

const ASSETS = fileURLToPath(new URL('../../../functions/console/assets/', import.meta.url));

/** Every file of the asset directory the console loads by URL: its modules and style sheet. */
const assetFiles = readdirSync(ASSETS).filter((file) => ['.js', '.css'].includes(extname(file)));
const modules = assetFiles.filter((file) => file.endsWith('.js'));

const event = (
  path: string,
  file?: string,
  requestPath = path,
  headers: Record<string, string> = {},
): APIGatewayProxyEvent =>
  ({
    httpMethod: 'GET',
    path,
    resource: file === undefined ? '/' : '/console/{file}',
    pathParameters: file === undefined ? null : { file },
    headers,
    requestContext: { path: requestPath, stage: 'prod' },
  }) as unknown as APIGatewayProxyEvent;

const get = (path: string, headers: Record<string, string> = {}) => {
  const file = path.startsWith('/console/') ? path.slice('/console/'.length) : undefined;
  return handler(event(path, file, path, headers));
};

describe('serve-console', () => {
  it('serves the console page at /', async () => {
    const response = await get('/');
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['Content-Type']).toBe('text/html; charset=utf-8');
    expect(response.headers?.['Cache-Control']).toBe('no-cache');
    expect(response.body).toContain('<script type="module" src="/console/app.js"></script>');
    expect(response.body).toContain('<link rel="stylesheet" href="/console/app.css">');
  });

  it('has the split console to serve', () => {
    expect(assetFiles).toEqual(expect.arrayContaining(['app.js', 'app.css', 'api-client.js']));
    expect(modules.length).toBeGreaterThan(5);
  });

  it.each(
    assetFiles.map((file) => [
      file,
      file.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8',
    ]),
  )('serves %s with its content type, revalidated on every load', async (file, contentType) => {
    const response = await get(`/console/${file}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['Content-Type']).toBe(contentType);
    expect(response.headers?.['Cache-Control']).toBe('no-cache');
    expect(response.headers?.ETag).toMatch(/^"[0-9a-z]+-[0-9a-z]+"$/);
    expect(response.body.length).toBeGreaterThan(100);
  });

  describe('revalidation', () => {
    it.each(['/', '/console/app.js', '/console/app.css'])(
      'answers 304 without a body when %s is unchanged',
      async (path) => {
        const first = await get(path);
        const etag = String(first.headers?.ETag);
        for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
          const again = await get(path, { 'if-none-match': ifNoneMatch });
          expect(again.statusCode, ifNoneMatch).toBe(304);
          expect(again.body).toBe('');
          expect(again.headers?.ETag).toBe(etag);
          expect(again.headers?.['Content-Security-Policy']).toBe(contentSecurityPolicy);
        }
        expect((await get(path, { 'If-None-Match': etag })).statusCode).toBe(304);
      },
    );

    it('sends the whole file when the cached copy is another version', async () => {
      const response = await get('/console/app.js', { 'if-none-match': '"an-older-deploy"' });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('import');
    });

    it('gives every file its own tag, and the page under a stage its own', async () => {
      const tags = await Promise.all(
        ['/', ...assetFiles.map((file) => `/console/${file}`)].map(
          async (path) => (await get(path)).headers?.ETag,
        ),
      );
      const staged = (await handler(event('/', undefined, '/prod/'))).headers?.ETag;
      expect(new Set([...tags, staged]).size).toBe(assetFiles.length + 2);
    });
  });

  it.each([
    'index.html',
    'app.ts',
    'list',
    'list.js.map',
    'APP.JS',
    '..%2Fserve-console.ts',
    '../serve-console.ts',
    '..\\serve-console.ts',
    '%2e%2e%2fassets%2fapp.js',
    'assets/app.js',
    '__proto__',
    'constructor',
    'app.js%00.css',
    '',
  ])('answers 404 for %j', async (file) => {
    const response = await handler(event(`/console/${file}`, file));
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('import');
    expect(response.headers?.['Content-Security-Policy']).toBe(contentSecurityPolicy);
  });

  it.each(['/', '/console/app.js', '/console/list.js', '/console/app.css', '/console/nope'])(
    'sends the security headers with %s',
    async (path) => {
      const headers = (await get(path)).headers ?? {};
      expect(headers['Content-Security-Policy']).toBe(
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
          "img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
      );
      expect(headers['Referrer-Policy']).toBe('no-referrer');
      expect(headers['X-Content-Type-Options']).toBe('nosniff');
      expect(headers['X-Frame-Options']).toBe('DENY');
    },
  );

  describe('index.html under the CSP', () => {
    const html = async () => (await get('/')).body;

    it('has no inline script, event handler or javascript: URL', async () => {
      const page = await html();
      const scripts = [...page.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)];
      expect(scripts).toHaveLength(1);
      for (const script of scripts) {
        expect(script[0]).toMatch(/\bsrc="\/console\/app\.js"/);
        expect(script[1]?.trim()).toBe('');
      }
      expect(page).not.toMatch(/\son[a-z]+\s*=/i);
      expect(page).not.toMatch(/javascript:/i);
    });

    it('has no inline style element or style attribute', async () => {
      const page = await html();
      expect(page).not.toMatch(/<style\b/i);
      expect(page).not.toMatch(/\sstyle\s*=/i);
    });

    it('loads nothing from another origin', async () => {
      for (const match of (await html()).matchAll(/\s(?:src|href|action)="([^"]*)"/gi)) {
        expect(match[1]).toMatch(/^(?:\/console\/|#|data:,$)/);
      }
    });
  });

  describe('under a stage path', () => {
    it.each([
      ['/prod/', '/', '/prod'],
      ['/prod', '/', '/prod'],
      ['/', '/', ''],
      ['/base/prod/', '/', '/base/prod'],
      ['/pr%2Fod/', '/', ''],
      ['//evil.example/', '/', ''],
      ['/other', '/console/app.js', ''],
    ])('request path %j routed as %j has base path %j', (requestPath, path, basePath) => {
      expect(basePathOf(event(path, undefined, requestPath))).toBe(basePath);
    });

    it('points the page at the assets under the stage', async () => {
      const page = (await handler(event('/', undefined, '/prod/'))).body;
      expect(page).toContain('<script type="module" src="/prod/console/app.js"></script>');
      expect(page).toContain('<link rel="stylesheet" href="/prod/console/app.css">');
      expect(page).not.toContain('="/console/');
    });

    it('leaves the page alone without a stage', async () => {
      expect((await handler(event('/'))).body).toContain('src="/console/app.js"');
    });
  });

  describe('the modules the page loads', () => {
    /**
     * The module graph from the page's one script, as a bundler resolves it (comments, and
     * so the JSDoc type imports of server files, are not imports): file -> its specifiers.
     */
    const graph = async (): Promise<Map<string, string[]>> => {
      const { metafile } = await build({
        entryPoints: [`${ASSETS}app.js`],
        bundle: true,
        write: false,
        metafile: true,
        format: 'esm',
        logLevel: 'silent',
      });
      return new Map(
        Object.entries(metafile.inputs).map(([file, input]) => [
          basename(file),
          input.imports.map((imported) => imported.original ?? imported.path),
        ]),
      );
    };

    it('imports only sibling files, each of them served', async () => {
      const specifiers = new Set([...(await graph()).values()].flat());
      expect(specifiers.size).toBe(modules.length - 1);
      for (const specifier of specifiers) {
        // One path segment: /console/{file} serves nothing deeper, and nothing off-origin.
        expect(specifier).toMatch(/^\.\/[a-z0-9-]+\.js$/);
        expect((await get(`/console/${specifier.slice(2)}`)).statusCode, specifier).toBe(200);
      }
    });

    it('ships no module the page does not load', async () => {
      expect([...(await graph()).keys()].sort()).toEqual([...modules].sort());
    });

    it.each(modules)('%s uses no eval-like constructs or HTML sinks', async (file) => {
      const script = (await get(`/console/${file}`)).body;
      expect(script).not.toMatch(
        /\beval\s*\(|new Function\s*\(|\.(?:inner|outer)HTML\s*=|insertAdjacentHTML|document\.write/,
      );
    });
  });

  describe('Papa Parse for the CSV upload', () => {
    it('serves the papaparse package as an ES module whose parser works', async () => {
      const response = await get('/console/papaparse.js');
      expect(response.statusCode).toBe(200);
      expect(response.headers?.['Content-Type']).toBe('text/javascript; charset=utf-8');
      expect(response.headers?.['Content-Security-Policy']).toBe(contentSecurityPolicy);
      expect(response.body).toContain(
        readFileSync(createRequire(import.meta.url).resolve('papaparse/papaparse.min.js'), 'utf8'),
      );
      // Loaded as the browser loads it: a module, in strict mode, with no `module` of its own.
      const directory = mkdtempSync(join(tmpdir(), 'papaparse-'));
      const file = join(directory, 'papaparse.mjs');
      writeFileSync(file, response.body);
      const { default: papa } = await import(pathToFileURL(file).href).finally(() =>
        rmSync(directory, { recursive: true }),
      );
      expect(papa.parse('a,b\n1,"x;y"').data).toEqual([
        ['a', 'b'],
        ['1', 'x;y'],
      ]);
      expect(papa.unparse([['=1']], { escapeFormulae: true })).toBe(`"'=1"`);
    });

    it('is the module the console imports by URL', async () => {
      const loader = (await get('/console/papaparse-loader.js')).body;
      expect(loader).toContain("new URL('./papaparse.js', import.meta.url)");
    });
  });

  describe('the page text', () => {
    const page = async () => (await get('/')).body;

    it('has every data-i18n key in the strings', async () => {
      const keys = [...(await page()).matchAll(/\sdata-i18n="([^"]+)"/g)].map((m) => m[1]);
      expect(keys.length).toBeGreaterThan(30);
      for (const key of keys) expect(Object.keys(en), key).toContain(key);
    });

    it('has a tab for all and one for exactly each contract status, each with a name', async () => {
      const tabs = /<div id="status-tabs"[^>]*>([\s\S]*?)<\/div>/.exec(await page())?.[1];
      const values = [...(tabs ?? '').matchAll(/role="tab"[^>]*data-status="([^"]*)"/g)].map(
        (m) => m[1],
      );
      expect(values).toEqual(['', ...requestStatuses]);
      for (const status of requestStatuses) {
        expect(Object.keys(en)).toContain(`status.${status}`);
        expect(tabs).toContain(`data-i18n="tab.${status}"`);
      }
    });
  });
});
