import { describe, expect, it } from 'vitest';
import { emailEn } from '../../../functions/messages/locales/email-en.ts';
import { emailNl } from '../../../functions/messages/locales/email-nl.ts';
import { pageEn } from '../../../functions/messages/locales/page-en.ts';
import { pageNl } from '../../../functions/messages/locales/page-nl.ts';

/** Every sentence in a locale module, by path; functions are called with marker arguments. */
function sentences(strings: object, path = ''): Map<string, string> {
  const found = new Map<string, string>();
  for (const [key, value] of Object.entries(strings)) {
    const at = path === '' ? key : `${path}.${key}`;
    if (typeof value === 'string') found.set(at, value);
    else if (typeof value === 'function') found.set(at, value('«A»', '«B»'));
    else if (typeof value === 'object' && value !== null) {
      for (const [nested, text] of sentences(value, at)) found.set(nested, text);
    }
  }
  return found;
}

// Proper names and words that are the same in both languages.
const SAME_IN_BOTH = new Set(['siteName']);

describe.each([
  ['e-mail', emailEn, emailNl],
  ['page', pageEn, pageNl],
])('%s strings', (_name, english, dutch) => {
  const en = sentences(english);
  const nl = sentences(dutch);

  it('has the same sentences in both locales', () => {
    expect([...nl.keys()].sort()).toEqual([...en.keys()].sort());
    expect(en.size).toBeGreaterThan(15);
  });

  it('translates every sentence instead of copying it', () => {
    const copied = [...en].filter(
      ([path, text]) => !SAME_IN_BOTH.has(path) && nl.get(path) === text,
    );
    expect(copied).toEqual([]);
  });

  it('uses every value a sentence is given in both locales', () => {
    const dropped = [...en]
      .filter(([, text]) => text.includes('«'))
      .filter(([path, text]) => {
        const markers = text.match(/«[AB]»/g) ?? [];
        return markers.some((marker) => !nl.get(path)?.includes(marker));
      });
    expect(dropped).toEqual([]);
  });

  it('contains no markup, which the templates would show escaped', () => {
    const withMarkup = [...en, ...nl].filter(([, text]) => /[<>]/.test(text));
    expect(withMarkup).toEqual([]);
  });
});

describe('Dutch wording', () => {
  it('uses the natural Dutch verbs for the two choices', () => {
    expect(pageNl.activation.activate).toBe('Smart Account activeren');
    expect(pageNl.activation.decline).toBe('Aanvraag weigeren');
  });
});
