import type { z } from 'zod';
import { ValidationFailed } from '../shared/errors.ts';
import { fieldErrorsOf } from './problem.ts';

/** Parses at the edge; everything past this point works with typed, normalized values. */
export const parseWith = <S extends z.ZodType>(schema: S, value: unknown): z.output<S> => {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationFailed(fieldErrorsOf(result.error));
  return result.data;
};

/** `?status=&limit=` sends empty strings; an empty parameter means "not given". */
export const queryOf = (
  parameters: Record<string, string | undefined> | null,
): Record<string, string> =>
  Object.fromEntries(
    Object.entries(parameters ?? {}).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '',
    ),
  );
