import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  basePathOf,
  contentSecurityPolicy,
  handler,
} from '../../../functions/console/serve-console.ts';

const event = (path: string, file?: string, requestPath = path): APIGatewayProxyEvent =>
  ({
    httpMethod: 'GET',
    path,
    resource: file === undefined ? '/' : '/console/{file}',
    pathParameters: file === undefined ? null : { file },
    headers: {},
    requestContext: { path: requestPath, stage: 'prod' },
  }) as unknown as APIGatewayProxyEvent;

const get = (path: string) => {
  const file = path.startsWith('/console/') ? path.slice('/console/'.length) : undefined;
  return handler(event(path, file));
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

  it.each([
    ['app.js', 'text/javascript; charset=utf-8'],
    ['app.css', 'text/css; charset=utf-8'],
  ])('serves %s with its content type and a short cache lifetime', async (file, contentType) => {
    const response = await get(`/console/${file}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['Content-Type']).toBe(contentType);
    expect(response.headers?.['Cache-Control']).toMatch(/^public, max-age=\d{1,4}$/);
    expect(response.body.length).toBeGreaterThan(100);
  });

  it.each([
    'index.html',
    'app.ts',
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

  it.each(['/', '/console/app.js', '/console/app.css', '/console/nope'])(
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

  it('uses no eval-like constructs in app.js', async () => {
    const script = (await get('/console/app.js')).body;
    expect(script).not.toMatch(/\beval\s*\(|new Function\s*\(|\.innerHTML\s*=|insertAdjacentHTML/);
  });
});
