import { safeParse } from 'zod/mini';
import type { $ZodType, output } from 'zod/v4/core';
import { ValidationFailed } from '../shared/errors.ts';
import { fieldErrorsOf } from './problem.ts';

/** Parses at the edge; everything past this point works with typed, normalized values. */
export const parseWith = <S extends $ZodType>(schema: S, value: unknown): output<S> => {
  const result = safeParse(schema, value);
  if (!result.success) throw new ValidationFailed(fieldErrorsOf(result.error));
  return result.data;
};

/**
 * The query parameters as sent, `?a` and `?a=` both as `''`. What an empty value means is the
 * schema's decision: the list treats it as absent, the create's `dryRun` refuses it.
 */
export const queryOf = (
  parameters: Record<string, string | undefined> | null,
): Record<string, string> =>
  Object.fromEntries(
    Object.entries(parameters ?? {}).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
