import { InvalidEvent } from './errors.ts';

/**
 * Field access for Lambdas that only our own state machine or EventBridge invokes, whose
 * payloads the ASL and AWS fix. Plain checks instead of a schema library keep these bundles
 * (and their cold starts) small; the partner-facing edge validates with zod.
 */
const recordOf = (value: unknown): Record<string, unknown> | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

export const objectField = (value: unknown, name: string): Record<string, unknown> | undefined =>
  recordOf(recordOf(value)?.[name]);

export const optionalString = (value: unknown, name: string): string | undefined => {
  const field = recordOf(value)?.[name];
  return typeof field === 'string' && field !== '' ? field : undefined;
};

export const requiredString = (value: unknown, name: string): string => {
  const field = optionalString(value, name);
  if (field === undefined) throw new InvalidEvent(`${name} must be a non-empty string`);
  return field;
};

export const oneOf = <T extends string>(value: unknown, name: string, allowed: readonly T[]): T => {
  const field = requiredString(value, name);
  if (!(allowed as readonly string[]).includes(field)) {
    throw new InvalidEvent(`${name} must be one of ${allowed.join(', ')}`);
  }
  return field as T;
};

export const positiveInteger = (value: unknown, name: string): number => {
  const field = recordOf(value)?.[name];
  if (typeof field !== 'number' || !Number.isInteger(field) || field <= 0) {
    throw new InvalidEvent(`${name} must be a positive integer`);
  }
  return field;
};
