import { ValidationFailed } from '../shared/errors.ts';

/** The index a page was read from: its key attributes and the caller's partition in it. */
export interface CursorIndex {
  readonly partitionKey: string;
  readonly sortKey: string;
  /** The partition the list reads: the caller's own (and the filter's value). */
  readonly partition: string;
  /** The list's filters, so a cursor starts a page of the very list it came from only. */
  readonly filter: string;
  /** The sort key condition's bound (`< below`): a start key past it is refused by DynamoDB. */
  readonly below?: string;
}

/** The key of the last item of a page on that index: where the next page starts. */
export type CursorKey = Readonly<Record<string, string>>;

/**
 * A cursor's key values are ids and timestamps. DynamoDB refuses empty, oversized or odd key
 * values with a ValidationException, so a tampered cursor must be a 400 before it gets there.
 */
const CURSOR_KEY_PART = /^[\x21-\x7e]{1,200}$/;
const REQUEST_PREFIX = 'REQUEST#';

export const cursorKeyOf = (item: Record<string, unknown>, index: CursorIndex): CursorKey => ({
  PK: item.PK as string,
  SK: item.SK as string,
  [index.partitionKey]: item[index.partitionKey] as string,
  [index.sortKey]: item[index.sortKey] as string,
});

export const encodeCursor = (key: CursorKey | undefined, index: CursorIndex): string | null =>
  key ? Buffer.from(JSON.stringify({ key, filter: index.filter })).toString('base64url') : null;

const invalidCursor = (cause?: unknown) =>
  new ValidationFailed(
    [{ path: 'cursor', message: 'Not a cursor this list returned.' }],
    undefined,
    { cause },
  );

/**
 * The cursor is opaque to partners but not trusted: it must come from this very list (the same
 * filters) and point into the partition it reads (the caller's own), or one partner could page
 * through another's requests, or a cursor of one filter could start another filter's page.
 */
export const decodeCursor = (cursor: string, index: CursorIndex): CursorKey => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw invalidCursor(error);
  }
  const envelope = parsed as { key?: unknown; filter?: unknown } | null;
  if (!envelope || typeof envelope !== 'object' || envelope.filter !== index.filter) {
    throw invalidCursor();
  }
  const key = envelope.key as Record<string, unknown> | null;
  if (!key || typeof key !== 'object' || Array.isArray(key)) throw invalidCursor();
  const names = new Set(['PK', 'SK', index.partitionKey, index.sortKey]);
  const pk = key.PK;
  const sortValue = key[index.sortKey];
  if (
    Object.keys(key).length !== names.size ||
    !Object.keys(key).every((name) => names.has(name)) ||
    key[index.partitionKey] !== index.partition ||
    typeof pk !== 'string' ||
    !pk.startsWith(REQUEST_PREFIX) ||
    !CURSOR_KEY_PART.test(pk.slice(REQUEST_PREFIX.length)) ||
    key.SK !== 'REQUEST' ||
    typeof sortValue !== 'string' ||
    !CURSOR_KEY_PART.test(sortValue) ||
    // DynamoDB refuses a start key outside the key condition's range (a ValidationException).
    (index.below !== undefined && sortValue >= index.below)
  ) {
    throw invalidCursor();
  }
  return {
    PK: pk,
    SK: 'REQUEST',
    [index.partitionKey]: index.partition,
    [index.sortKey]: sortValue,
  };
};
