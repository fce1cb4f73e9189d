import { Aws } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { TableIndex, Uses, WorkflowCall } from '../../functions/catalog.ts';
import type { MailSending } from './mail-sending.ts';

/**
 * Item-level data-plane actions only. Not `grantReadData`/`grantReadWriteData`: those include
 * Scan (no function may read the whole table) and DescribeTable, and grant `index/*`.
 */
export const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
] as const;
export const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
] as const;

/** Task-token calls are authorized against the state machine that issued the token. */
const WORKFLOW_ACTIONS: Readonly<
  Record<Exclude<WorkflowCall, 'startExecution' | 'describeExecution'>, string>
> = {
  sendTaskSuccess: 'states:SendTaskSuccess',
  sendTaskFailure: 'states:SendTaskFailure',
};

/** What a function may be granted, as the constructs that own the grants. */
export interface GrantableResources {
  readonly table: dynamodb.ITable;
  readonly stateMachine: sfn.StateMachine;
  readonly mail: MailSending;
  readonly activationSecret: secretsmanager.ISecret;
  readonly eventBus: events.IEventBus;
  readonly deliveryMachine: sfn.StateMachine;
  /** The stage's authorizer cache (authorizerCacheArn). */
  readonly authorizerCacheArn: string;
}

/**
 * What FlushStageAuthorizersCache is authorized against: `apigateway:DELETE` on the stage's
 * `cache/authorizers` path, and nothing else of the API.
 */
export const authorizerCacheArn = (restApiId: string, stageName: string): string =>
  `arn:${Aws.PARTITION}:apigateway:${Aws.REGION}::/restapis/${restApiId}/stages/${stageName}/cache/authorizers`;

/** An index by exact ARN: a query on it is authorized against the index, not the table. */
export const indexArnOf = (table: dynamodb.ITable, index: TableIndex): string =>
  `${table.tableArn}/index/${index}`;

/**
 * Grants a function exactly what its catalog `uses` imply, through the constructs' own grant
 * methods, each on exact resources.
 */
export const grantUses = (
  grantee: iam.IGrantable,
  uses: Uses,
  resources: GrantableResources,
): void => {
  if (uses.table) {
    // hasIndex false: the table's ARN alone; indexes are granted one by one below.
    dynamodb.TableGrants.fromTable(resources.table, [], false).actions(
      grantee,
      ...TABLE_READ_ACTIONS,
      ...(uses.table === 'readWrite' ? TABLE_WRITE_ACTIONS : []),
    );
  }
  const indexes = uses.indexes ?? [];
  if (indexes.length > 0) {
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:Query'],
      resourceArns: indexes.map((index) => indexArnOf(resources.table, index)),
    });
  }

  const calls = uses.workflow ?? [];
  if (calls.includes('startExecution')) resources.stateMachine.grants.startExecution(grantee);
  // DescribeExecution is authorized against the machine's executions, not the machine.
  if (calls.includes('describeExecution')) {
    resources.stateMachine.grantExecution(grantee, 'states:DescribeExecution');
  }
  const taskCalls = calls.flatMap((call) =>
    call === 'startExecution' || call === 'describeExecution' ? [] : WORKFLOW_ACTIONS[call],
  );
  if (taskCalls.length > 0) resources.stateMachine.grants.actions(grantee, ...taskCalls);

  if (uses.mail) resources.mail.grantSendEmail(grantee);
  // GetSecretValue and DescribeSecret on this one secret.
  if (uses.activationSecret) resources.activationSecret.grantRead(grantee);
  // events:PutEvents on this one bus.
  if (uses.events) resources.eventBus.grantPutEventsTo(grantee);
  if (uses.deliveries) resources.deliveryMachine.grants.startExecution(grantee);
  if (uses.authorizerCache) {
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['apigateway:DELETE'],
      resourceArns: [resources.authorizerCacheArn],
    });
  }
};
