import { describe, expect, it } from 'vitest';
import { html, lines, textWithLineBreaks } from '../../../functions/messages/html.ts';

describe('html', () => {
  it('escapes interpolated strings', () => {
    expect(html`<p title="${'"x"'}">${'<b>'}</p>`.toString()).toBe(
      '<p title="&quot;x&quot;">&lt;b&gt;</p>',
    );
  });

  it('does not escape markup built with html again', () => {
    const inner = html`<em>${'a&b'}</em>`;
    expect(html`<p>${inner}</p>`.toString()).toBe('<p><em>a&amp;b</em></p>');
  });

  it('joins arrays and drops null, undefined and false', () => {
    expect(html`${['<', html`<br>`, 2]}${null}${undefined}${false}`.toString()).toBe('&lt;<br>2');
  });
});

describe('textWithLineBreaks', () => {
  it('escapes each line and joins them with <br>', () => {
    expect(textWithLineBreaks('a<b\n"c"').toString()).toBe('a&lt;b<br>&quot;c&quot;');
  });
});

describe('lines', () => {
  it('puts each non-empty part on its own line', () => {
    expect(lines([html`<p>a</p>`, false, '', null, '<b>']).toString()).toBe('<p>a</p>\n&lt;b&gt;');
  });
});
