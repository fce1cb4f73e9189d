import fc from 'fast-check';

/** fast-check building blocks for the bad-input properties. */

/** A fragment of JSON written verbatim (numbers like 1e400, deep nesting, NaN...). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** An object whose keys may repeat: JSON.parse keeps the last occurrence. */
export class Entries {
  constructor(readonly entries: readonly (readonly [string, unknown])[]) {}
}

export const serialize = (value: unknown): string => {
  if (value instanceof RawJson) return value.text;
  if (value instanceof Entries) {
    return `{${value.entries.map(([key, item]) => `${JSON.stringify(key)}:${serialize(item)}`).join(',')}}`;
  }
  if (Array.isArray(value)) return `[${value.map(serialize).join(',')}]`;
  if (value && typeof value === 'object') return serialize(new Entries(Object.entries(value)));
  return JSON.stringify(value) ?? 'null';
};

/** Percent-encodes every byte of the UTF-8 form except unreserved ASCII. */
export const percentEncode = (value: string): string =>
  [...Buffer.from(value, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');

/** Unicode that breaks naive code: NUL, lone surrogates, bidi overrides, zero-width, line separators, markup. */
export const UNICODE_EDGES = [
  '\u0000',
  '\ud800',
  '\udfff',
  '\u202e',
  '\u2066',
  '\u200b',
  '\u200d',
  '\ufeff',
  '\r',
  '\n',
  '\r\n',
  '\u2028',
  '\u0085',
  '\t',
  '\uffff',
  '😀',
  '👩‍👩‍👧',
  'e\u0301',
  'עברית',
  'عربي',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'",
  '\\',
  '%00',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, on purpose
  '${7*7}',
  '{{7*7}}',
] as const;

/** The same edges without lone surrogates: text that is still well-formed Unicode. */
export const WELL_FORMED_EDGES = UNICODE_EDGES.filter((edge) => edge.isWellFormed());

const oneUnit = (edges: readonly string[]) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...edges) },
    { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  );

/** Odd text, lone surrogates included. */
export const oddText = (maxLength = 40) => fc.string({ unit: oneUnit(UNICODE_EDGES), maxLength });

/** Odd text that is still well-formed Unicode (no lone surrogates). */
export const wellFormedText = (maxLength = 40) =>
  fc.string({ unit: oneUnit(WELL_FORMED_EDGES), maxLength }).filter((text) => text.isWellFormed());

/** A header value Node will send: Latin-1 without control characters. */
export const headerValue = (maxLength = 200) =>
  fc.string({
    unit: fc
      .integer({ min: 0x20, max: 0xff })
      .filter((code) => code !== 0x7f && (code < 0x80 || code > 0x9f))
      .map((code) => String.fromCharCode(code)),
    maxLength,
  });

/** Numbers JSON.parse turns into something no field expects. */
export const oddNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(
    new RawJson('1e400'),
    new RawJson('-1e400'),
    new RawJson('1e-400'),
    new RawJson('-0'),
    new RawJson('12345678901234567890123456789'),
  ),
);

/** Deeply nested arrays or objects (a parser's recursion limit). */
export const deepNesting = fc.oneof(
  fc
    .integer({ min: 100, max: 20_000 })
    .map((depth) => new RawJson(`${'['.repeat(depth)}${']'.repeat(depth)}`)),
  fc
    .integer({ min: 100, max: 8_000 })
    .map((depth) => new RawJson(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)),
);

/** Anything that is not a string: numbers, booleans, null, containers, deep nesting. */
export const notAString = fc.oneof(
  oddNumber,
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  deepNesting,
);

/** Strings from `valid` with one character from `forbidden` put inside. */
export const withInserted = (valid: string, forbidden: readonly string[]) =>
  fc
    .tuple(fc.integer({ min: 1, max: valid.length - 1 }), fc.constantFrom(...forbidden))
    .map(([at, character]) => `${valid.slice(0, at)}${character}${valid.slice(at)}`);

/** A control character (Unicode category Cc). */
export const controlCharacter = fc
  .oneof(fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f }))
  .map((code) => String.fromCharCode(code));

/** A JSON body that is not an object. */
export const notAnObject = fc.oneof(
  oddNumber,
  fc.boolean(),
  fc.constant(null),
  wellFormedText(20),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc
    .integer({ min: 100, max: 20_000 })
    .map((depth) => new RawJson(`${'['.repeat(depth)}${']'.repeat(depth)}`)),
);
