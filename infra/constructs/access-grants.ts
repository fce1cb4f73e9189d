import * as iam from 'aws-cdk-lib/aws-iam';
import type { FunctionAccess } from '../function-catalog.ts';
import type { HandlerFunction } from './handler-function.ts';

/** Item-level data-plane actions only: no Scan, no table management. */
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

/** The resources a function may be granted, each by exact ARN. */
export interface GrantableResources {
  readonly tableArn: string;
  readonly partnerRequestsIndexArn: string;
  readonly stateMachineArn: string;
  readonly senderIdentityArn: string;
  readonly configurationSetArn: string;
  readonly activationSecretArn: string;
}

/** Adds to the function's role exactly the statements its FunctionAccess entry asks for. */
export const grantAccess = (
  handler: HandlerFunction,
  access: FunctionAccess,
  resources: GrantableResources,
): void => {
  const allow = (actions: readonly string[], resourceArns: string[]): void => {
    handler.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: [...actions], resources: resourceArns }),
    );
  };

  if (access.table) {
    const tableResources = access.partnerRequestsIndex
      ? [resources.tableArn, resources.partnerRequestsIndexArn]
      : [resources.tableArn];
    const actions =
      access.table === 'readWrite'
        ? [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS]
        : [...TABLE_READ_ACTIONS];
    allow(actions, tableResources);
  }

  const workflowActions = [
    ...(access.startExecution ? ['states:StartExecution'] : []),
    ...(access.sendTaskSuccess ? ['states:SendTaskSuccess'] : []),
    ...(access.sendTaskFailure ? ['states:SendTaskFailure'] : []),
  ];
  if (workflowActions.length > 0) {
    // Task-token calls are authorized against the state machine that issued the token.
    allow(workflowActions, [resources.stateMachineArn]);
  }

  if (access.sendEmail) {
    // SESv2 SendEmail is authorized against both the sending identity and the configuration set.
    allow(['ses:SendEmail'], [resources.senderIdentityArn, resources.configurationSetArn]);
  }

  if (access.activationSecret) {
    allow(['secretsmanager:GetSecretValue'], [resources.activationSecretArn]);
    handler.function.addEnvironment('ACTIVATION_SECRET_ARN', resources.activationSecretArn);
  }
};
