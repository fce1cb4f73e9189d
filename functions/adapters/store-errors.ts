import {
  type DynamoDBDocumentClient,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { Dependency } from '../shared/errors.ts';
import { callDependency } from './dependency-errors.ts';

/** A conditional write whose condition did not hold: a decision, not a failure. */
export const isConditionFailed = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/** One DynamoDB call; transient failures become DependencyUnavailable (dependency-errors.ts). */
export const storeCall = <T>(call: () => Promise<T>): Promise<T> =>
  callDependency(Dependency.TABLE, call);

/** The parts of an UpdateCommand a conditional write of one item states. */
export type ConditionalUpdate = Pick<
  UpdateCommandInput,
  | 'ConditionExpression'
  | 'UpdateExpression'
  | 'ExpressionAttributeNames'
  | 'ExpressionAttributeValues'
>;

/**
 * A conditional update of one item: its attributes as updated, or undefined when the condition
 * failed (the caller reads the winner when it needs to know it).
 */
export const updateItemIf = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  key: Record<string, string>,
  update: ConditionalUpdate,
): Promise<Record<string, unknown> | undefined> => {
  try {
    const result = await storeCall(() =>
      client.send(
        new UpdateCommand({ TableName: tableName, Key: key, ReturnValues: 'ALL_NEW', ...update }),
      ),
    );
    return result.Attributes ?? {};
  } catch (error) {
    if (isConditionFailed(error)) return undefined;
    throw error;
  }
};
