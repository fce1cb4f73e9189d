import { describe, expect, it } from 'vitest';
import { eventHandlerTags, tagNames, urlsIn } from './fixtures.ts';

// The rendering tests prove a negative ("no injected tag"), so the detectors themselves must
// be shown to detect.
describe('test detectors', () => {
  it('find injected tags but not escaped ones', () => {
    expect([...tagNames('<p><img src=x>&lt;script&gt;</p>')]).toEqual(['p', 'img']);
  });

  it('find event-handler attributes but not escaped text inside a quoted value', () => {
    expect(eventHandlerTags('<img src=x onerror=alert(1)><a title="x onclick=y">')).toEqual([
      '<img src=x onerror=alert(1)>',
    ]);
  });

  it('find every http(s) address', () => {
    expect(urlsIn('see http://a.example/x and "https://b.example/y"')).toEqual([
      'http://a.example/x',
      'https://b.example/y',
    ]);
  });
});
