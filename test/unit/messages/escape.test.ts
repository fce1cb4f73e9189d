import { describe, expect, it } from 'vitest';
import { escapeHtml, multiline, singleLine } from '../../../functions/messages/escape.ts';

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  it('escapes an attribute breakout completely', () => {
    expect(escapeHtml('"><img src=x onerror=alert(1)>')).toBe(
      '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;',
    );
  });

  it('escapes an existing entity again instead of trusting it', () => {
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
  });

  it('leaves ordinary text, including non-ASCII, untouched', () => {
    expect(escapeHtml('Café Zoë BV')).toBe('Café Zoë BV');
  });
});

describe('singleLine', () => {
  it('turns CR, LF, tabs and NUL into single spaces and trims', () => {
    expect(singleLine('  Acme\r\nBcc: x@evil.example\tend\u0000!  ')).toBe(
      'Acme Bcc: x@evil.example end !',
    );
  });

  it('removes Unicode line separators and bidi overrides', () => {
    expect(singleLine('a\u2028b\u2029c \u202Egnp.exe')).toBe('a b c gnp.exe');
  });

  it('caps the length at 200 characters with an ellipsis', () => {
    const capped = singleLine('x'.repeat(500));
    expect(Array.from(capped)).toHaveLength(200);
    expect(capped.endsWith('…')).toBe(true);
  });

  it('counts code points, so an emoji is never cut in half', () => {
    const capped = singleLine('😀'.repeat(10), 5);
    expect(capped).toBe('😀😀😀😀…');
  });

  it('keeps a value that fits as it is', () => {
    expect(singleLine('Acme BV (acme.example)')).toBe('Acme BV (acme.example)');
  });
});

describe('multiline', () => {
  it('normalizes CRLF and CR to LF and keeps the line structure', () => {
    expect(multiline('one\r\ntwo\rthree\nfour')).toBe('one\ntwo\nthree\nfour');
  });

  it('shrinks runs of blank lines to one and trims trailing spaces', () => {
    expect(multiline('a   \n\n\n\n\nb  ')).toBe('a\n\nb');
  });

  it('drops control characters and bidi overrides but keeps tabs as spaces', () => {
    expect(multiline('a\u0007b\u001Bc\td\u202Ee')).toBe('abc    de');
  });

  it('is empty for whitespace-only input', () => {
    expect(multiline(' \r\n \n ')).toBe('');
  });
});
