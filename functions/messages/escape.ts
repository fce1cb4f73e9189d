/**
 * Turns untrusted text into something safe for one output context. Every user-supplied value
 * passes through one of these before it reaches an e-mail or a page.
 */

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Safe as HTML text content and inside a double- or single-quoted attribute value. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ENTITIES[character] ?? character);
}

export const SINGLE_LINE_MAX_LENGTH = 200;

// Bidirectional overrides and isolates can make text read differently from what it is
// ("Trojan Source"), so they never reach a reader.
const BIDI_CONTROLS = /[\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the purpose
const LINE_BREAKING = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g;

/**
 * For a subject or any other one-line slot: no CR/LF (so no header can be smuggled in and no
 * fake line can be started), no control characters, single spaces, at most `maxLength`
 * characters.
 */
export function singleLine(value: string, maxLength: number = SINGLE_LINE_MAX_LENGTH): string {
  const flattened = value
    .replace(BIDI_CONTROLS, '')
    .replace(LINE_BREAKING, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return truncate(flattened, maxLength);
}

export const MULTILINE_MAX_LENGTH = 2000;

// Everything below U+0020 except LF, plus DEL and the C1 range.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the purpose
const NON_LINE_CONTROLS = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g;

/**
 * For free text such as a partner's note: line breaks survive (normalized to LF), other
 * control characters and bidi overrides do not, runs of blank lines shrink to one.
 */
export function multiline(value: string, maxLength: number = MULTILINE_MAX_LENGTH): string {
  const lines = value
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(/\t/g, '    ')
    .replace(BIDI_CONTROLS, '')
    .replace(NON_LINE_CONTROLS, '')
    .split('\n')
    .map((line) => line.trimEnd());
  const text = lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return truncate(text, maxLength);
}

// Counts code points, so a surrogate pair is never cut in half.
function truncate(text: string, maxLength: number): string {
  const characters = Array.from(text);
  if (characters.length <= maxLength) return text;
  const kept = characters
    .slice(0, Math.max(0, maxLength - 1))
    .join('')
    .trimEnd();
  return `${kept}…`;
}
