import { Dependency } from '../shared/errors.ts';
import { callDependency } from './dependency-errors.ts';

/** A conditional write whose condition did not hold: a decision, not a failure. */
export const isConditionFailed = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/** One DynamoDB call; transient failures become DependencyUnavailable (dependency-errors.ts). */
export const storeCall = <T>(call: () => Promise<T>): Promise<T> =>
  callDependency(Dependency.TABLE, call);
