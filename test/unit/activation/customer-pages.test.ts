import { describe, expect, it } from 'vitest';
import { actionPathFor, isOwnOriginPost } from '../../../functions/activation/customer-pages.ts';

const BASE = 'https://accounts.example/prod';

describe('which form posts count as coming from our own page', () => {
  it.each([
    ['our origin', { origin: 'https://accounts.example' }],
    // Chromium and Firefox under our `Referrer-Policy: no-referrer`.
    ['an origin hidden by no-referrer', { origin: 'null', 'sec-fetch-site': 'same-origin' }],
    [
      'our origin and same-origin',
      { origin: 'https://accounts.example', 'sec-fetch-site': 'same-origin' },
    ],
    // Browsers send one of them on every POST; a client with neither holds the link itself.
    ['a client that sends neither header', {}],
  ])('accepts %s', (_what, headers) => {
    expect(isOwnOriginPost(headers, BASE)).toBe(true);
  });

  it.each([
    ['another site', { origin: 'https://evil.example' }],
    ['another port of our host', { origin: 'https://accounts.example:8443' }],
    ['plain http of our host', { origin: 'http://accounts.example' }],
    ['a hidden origin from another site', { origin: 'null', 'sec-fetch-site': 'cross-site' }],
    ['a sibling subdomain', { 'sec-fetch-site': 'same-site' }],
    [
      'a forged origin contradicted by the browser',
      { origin: 'https://accounts.example', 'sec-fetch-site': 'cross-site' },
    ],
  ])('refuses %s', (_what, headers) => {
    expect(isOwnOriginPost(headers, BASE)).toBe(false);
  });
});

describe('the activation form', () => {
  it('posts to the stage path of PUBLIC_BASE_URL', () => {
    expect(actionPathFor(BASE, 'abc')).toBe('/prod/activate/abc');
    expect(actionPathFor('http://localhost:3000', 'abc')).toBe('/activate/abc');
  });
});
