import { ValidationFailed } from '../shared/errors.ts';

/** The key of the last item of a page on the partner index: where the next page starts. */
export interface CursorKey {
  readonly PK: string;
  readonly SK: string;
  readonly GSI1PK: string;
  readonly GSI1SK: string;
}

/**
 * A cursor's key values are ids and timestamps. DynamoDB refuses empty, oversized or odd key
 * values with a ValidationException, so a tampered cursor must be a 400 before it gets there.
 */
const CURSOR_KEY_PART = /^[\x21-\x7e]{1,200}$/;
const REQUEST_PREFIX = 'REQUEST#';

export const cursorKeyOf = (item: Record<string, unknown>): CursorKey => ({
  PK: item.PK as string,
  SK: item.SK as string,
  GSI1PK: item.GSI1PK as string,
  GSI1SK: item.GSI1SK as string,
});

export const encodeCursor = (key: CursorKey | undefined): string | null =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;

const invalidCursor = (cause?: unknown) =>
  new ValidationFailed(
    [{ path: 'cursor', message: 'Not a cursor this list returned.' }],
    undefined,
    { cause },
  );

/**
 * The cursor is opaque to partners but not trusted: it must point into the caller's own
 * partition (`partitionKey`), or one partner could page through another's requests.
 */
export const decodeCursor = (cursor: string, partitionKey: string): CursorKey => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw invalidCursor(error);
  }
  const key = parsed as Partial<CursorKey> | null;
  if (
    !key ||
    typeof key !== 'object' ||
    key.GSI1PK !== partitionKey ||
    typeof key.PK !== 'string' ||
    !key.PK.startsWith(REQUEST_PREFIX) ||
    !CURSOR_KEY_PART.test(key.PK.slice(REQUEST_PREFIX.length)) ||
    key.SK !== 'REQUEST' ||
    typeof key.GSI1SK !== 'string' ||
    !CURSOR_KEY_PART.test(key.GSI1SK)
  ) {
    throw invalidCursor();
  }
  return { PK: key.PK, SK: key.SK, GSI1PK: key.GSI1PK, GSI1SK: key.GSI1SK };
};
