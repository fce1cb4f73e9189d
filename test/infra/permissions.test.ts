import { describe, expect, it } from 'vitest';
import {
  catalog,
  entriesTriggeredBy,
  entryOf,
  type FunctionEntry,
  machineOf,
  type WorkflowCall,
} from '../../functions/catalog.ts';
import { synthesizedTemplate } from './support/service-app.ts';
import {
  actionsOf,
  asList,
  functionOf,
  grantsOf,
  type Json,
  type PolicyStatementJson,
  referencedLogicalId,
  resourcesOfType,
  statementsOfFunction,
  statementsOfRole,
  statementsWith,
} from './support/template-queries.ts';

const template = synthesizedTemplate();
const modules = catalog.map((entry) => entry.module);
const idOf = (type: string): string => resourcesOfType(template, type)[0]?.[0] as string;
const tableArn = `<${idOf('AWS::DynamoDB::Table')}.Arn>`;
/** The request's machine (Workflow) and the webhook-delivery one (Deliveries). */
const machineId = (prefix: string): string =>
  resourcesOfType(template, 'AWS::StepFunctions::StateMachine').find(([id]) =>
    id.startsWith(prefix),
  )?.[0] as string;
const stateMachineArn = `<${machineId('Workflow')}>`;
const deliveryMachineArn = `<${machineId('Deliveries')}>`;
const eventBusArn = `<${idOf('AWS::Events::EventBus')}.Arn>`;
/** The machine's executions (their names are request ids): what DescribeExecution needs. */
const executionsArn = `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${JSON.stringify(
  { 'Fn::Select': [6, { 'Fn::Split': [':', { Ref: machineId('Workflow') }] }] },
)}:*`;
const secretArn = `<${idOf('AWS::SecretsManager::Secret')}>`;
const queueArn = (prefix: string): string => {
  const found = resourcesOfType(template, 'AWS::SQS::Queue').find(([id]) => id.startsWith(prefix));
  if (!found) throw new Error(`no queue ${prefix}`);
  return `<${found[0]}.Arn>`;
};
const feedbackQueueArn = queueArn('MailFeedbackDeadLetterQueue');
const retentionQueueArn = queueArn('RetentionDeadLetters');
const streamArn = `<${idOf('AWS::DynamoDB::Table')}.StreamArn>`;
/** Reading the table's stream (the Lambda event source of the retention handler). */
const STREAM_READ = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];
const sesArn = (resource: string): string =>
  `arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:${resource}`;
const senderIdentityArn = sesArn(`identity/<${idOf('AWS::SES::EmailIdentity')}>`);
const configurationSetArn = sesArn(`configuration-set/<${idOf('AWS::SES::ConfigurationSet')}>`);
/** Only the stage's authorizer cache: FlushStageAuthorizersCache, nothing else of the API. */
const authorizerCacheArn = `arn:<AWS::Partition>:apigateway:<AWS::Region>::/restapis/<${idOf('AWS::ApiGateway::RestApi')}>/stages/prod/cache/authorizers`;

/**
 * What each catalog use means in IAM: the one mapping every function's policy is checked
 * against. A new route needs no line here unless it brings a new kind of use.
 */
const TABLE_READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
const TABLE_WRITE = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];
const WORKFLOW_ACTION: Record<Exclude<WorkflowCall, 'describeExecution'>, string> = {
  startExecution: 'states:StartExecution',
  sendTaskSuccess: 'states:SendTaskSuccess',
  sendTaskFailure: 'states:SendTaskFailure',
};

const on = (resource: string, actions: readonly string[]): string[] =>
  actions.map((action) => `${action} on ${resource}`);

const expectedGrants = (entry: FunctionEntry): string[] => {
  const { uses, trigger } = entry;
  const [, fn] = functionOf(template, entry.module);
  const logGroupArn = `<${referencedLogicalId(fn.Properties.LoggingConfig.LogGroup)}.Arn>`;
  return [
    // Its own log group, and X-Ray (which has no resource-level permissions).
    ...on(logGroupArn, ['logs:CreateLogStream', 'logs:PutLogEvents']),
    ...on('*', ['xray:PutTelemetryRecords', 'xray:PutTraceSegments']),
    ...(uses.table === 'read' ? on(tableArn, TABLE_READ) : []),
    ...(uses.table === 'readWrite' ? on(tableArn, [...TABLE_READ, ...TABLE_WRITE]) : []),
    ...(uses.indexes ?? []).flatMap((index) =>
      on(`${tableArn}/index/${index}`, ['dynamodb:Query']),
    ),
    ...on(
      stateMachineArn,
      (uses.workflow ?? []).flatMap((call) =>
        call === 'describeExecution' ? [] : WORKFLOW_ACTION[call],
      ),
    ),
    // Describing is authorized against the machine's executions.
    ...((uses.workflow ?? []).includes('describeExecution')
      ? on(executionsArn, ['states:DescribeExecution'])
      : []),
    ...(uses.mail
      ? [...on(senderIdentityArn, ['ses:SendEmail']), ...on(configurationSetArn, ['ses:SendEmail'])]
      : []),
    ...(uses.activationSecret
      ? on(secretArn, ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'])
      : []),
    ...(uses.events ? on(eventBusArn, ['events:PutEvents']) : []),
    ...(uses.deliveries ? on(deliveryMachineArn, ['states:StartExecution']) : []),
    ...(uses.authorizerCache ? on(authorizerCacheArn, ['apigateway:DELETE']) : []),
    // SES feedback, and stream records of expired requests, that failed processing go to
    // their dead-letter queue.
    ...(trigger.kind === 'event'
      ? on(trigger.source === 'requestExpiry' ? retentionQueueArn : feedbackQueueArn, [
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:SendMessage',
        ])
      : []),
    // The retention handler reads the table's stream; ListStreams has no resource-level
    // permissions.
    ...(trigger.kind === 'event' && trigger.source === 'requestExpiry'
      ? [...on(streamArn, STREAM_READ), ...on('*', ['dynamodb:ListStreams'])]
      : []),
  ].sort();
};

const modulesWith = (action: string): string[] =>
  modules.filter(
    (module) => statementsWith(statementsOfFunction(template, module), action).length > 0,
  );

const allStatements = (): PolicyStatementJson[] => [
  ...resourcesOfType(template, 'AWS::IAM::Policy').flatMap(
    ([, policy]) => policy.Properties.PolicyDocument.Statement,
  ),
  ...resourcesOfType(template, 'AWS::IAM::Role').flatMap(([, role]) =>
    (role.Properties.Policies ?? []).flatMap((policy: Json) => policy.PolicyDocument.Statement),
  ),
];

describe('least privilege (functions/catalog.ts uses)', () => {
  it.each(modules)('%s may do exactly what its catalog uses imply', (module) => {
    expect(grantsOf(statementsOfFunction(template, module))).toEqual(
      expectedGrants(entryOf(module)),
    );
  });

  it('lets no function Scan the table or use any other table-wide action', () => {
    const dynamoActions = new Set(
      actionsOf(allStatements()).filter((action) => action.startsWith('dynamodb:')),
    );
    // The stream's changes, not the table: only the retention handler reads them (above).
    expect([...dynamoActions].sort()).toEqual(
      [...TABLE_READ, ...TABLE_WRITE, ...STREAM_READ, 'dynamodb:ListStreams'].sort(),
    );
  });

  it('grants no wildcard action anywhere in the stack', () => {
    const wildcards = actionsOf(allStatements()).filter((action) => action.includes('*'));
    expect(wildcards).toEqual([]);
  });

  it('uses Resource "*" only for APIs without resource-level permissions', () => {
    const unscoped = allStatements().filter((statement) =>
      asList(statement.Resource).includes('*'),
    );
    const allowedPrefixes = [
      'xray:',
      'dynamodb:ListStreams',
      'logs:CreateLogDelivery',
      'logs:DeleteLogDelivery',
      'logs:DescribeLogGroups',
      'logs:DescribeResourcePolicies',
      'logs:GetLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutResourcePolicy',
      'logs:UpdateLogDelivery',
    ];
    for (const action of actionsOf(unscoped)) {
      expect(
        allowedPrefixes.some((prefix) => action.startsWith(prefix)),
        action,
      ).toBe(true);
    }
  });

  it('names no resource with a wildcard in any function policy but the executions the sweep describes', () => {
    for (const module of modules) {
      const grants = grantsOf(statementsOfFunction(template, module)).filter(
        (grant) => grant !== `states:DescribeExecution on ${executionsArn}`,
      );
      const resources = grants
        .map((grant) => grant.split(' on ')[1] as string)
        .filter((resource) => resource !== '*');
      for (const resource of resources) expect(resource, module).not.toContain('*');
    }
    expect(modulesWith('states:DescribeExecution')).toEqual(['workflow/sweep-requests']);
  });

  it('attaches no managed policy to any function role', () => {
    for (const module of modules) {
      const [, fn] = functionOf(template, module);
      const role = template.toJSON().Resources[referencedLogicalId(fn.Properties.Role) as string];
      expect(role.Properties.ManagedPolicyArns, module).toBeUndefined();
    }
  });

  it('starts executions only from the creates and the sweep, deliveries only where events are published or a delivery is asked for, and signals tasks only where a decision is made or repaired', () => {
    const starting = (machineArn: string) =>
      modules.filter((module) =>
        grantsOf(statementsOfFunction(template, module)).includes(
          `states:StartExecution on ${machineArn}`,
        ),
      );
    expect(starting(stateMachineArn).sort()).toEqual([
      'api/create-batch',
      'api/create-request',
      'workflow/sweep-requests',
    ]);
    expect(starting(deliveryMachineArn).sort()).toEqual([
      'api/correct-request',
      'api/create-batch',
      'api/create-request',
      'api/extend-request',
      'api/webhooks/redeliver',
      'api/webhooks/test-endpoint',
      'workflow/settle-request',
      'workflow/sweep-requests',
      'workflow/wake',
    ]);
    expect(modulesWith('states:SendTaskSuccess')).toEqual([
      'activation/decide-activation',
      'workflow/sweep-requests',
    ]);
    expect(modulesWith('states:SendTaskFailure').sort()).toEqual([
      'activation/decide-activation',
      'api/cancel-request',
      'events/ses-feedback',
      'workflow/sweep-requests',
    ]);
    expect(modulesWith('states:SendTaskHeartbeat')).toEqual([]);
  });

  it('passes the state machines their own ARNs, not ones rebuilt from their names', () => {
    for (const module of modules) {
      const variables = functionOf(template, module)[1].Properties.Environment.Variables;
      if (variables.STATE_MACHINE_ARN) {
        expect(variables.STATE_MACHINE_ARN).toEqual({ Ref: machineId('Workflow') });
      }
      if (variables.DELIVERY_STATE_MACHINE_ARN) {
        expect(variables.DELIVERY_STATE_MACHINE_ARN).toEqual({ Ref: machineId('Deliveries') });
      }
    }
    expect(template.toJSON().Outputs.StateMachineArn.Value).toEqual({
      Ref: machineId('Workflow'),
    });
  });

  it('flushes the authorizer cache only from the revoke of an API key', () => {
    expect(modulesWith('apigateway:DELETE')).toEqual(['api/api-keys/revoke-key']);
    expect(actionsOf(allStatements()).filter((action) => action.startsWith('apigateway:'))).toEqual(
      ['apigateway:DELETE'],
    );
  });

  it('sends mail only from the functions that mail, reads the secret only where links are built', () => {
    expect(modulesWith('ses:SendEmail').sort()).toEqual([
      'api/correct-request',
      'api/resend-activation',
      'workflow/send-activation',
      'workflow/settle-request',
      'workflow/wake',
    ]);
    expect(modulesWith('ses:SendRawEmail')).toEqual([]);
    expect(modulesWith('secretsmanager:GetSecretValue').sort()).toEqual([
      'api/correct-request',
      'api/resend-activation',
      'workflow/send-activation',
      'workflow/wake',
    ]);
  });

  it('queries the partner-requests index only from list-requests, the sweep index only from the sweep', () => {
    const withIndex = (index: string) =>
      modules.filter((module) =>
        grantsOf(statementsOfFunction(template, module)).some((grant) =>
          grant.endsWith(`/index/${index}`),
        ),
      );
    expect(withIndex('GSI1')).toEqual(['api/list-requests']);
    expect(withIndex('Sweep')).toEqual(['workflow/sweep-requests']);
  });

  it.each([
    ['Workflow', 'request'],
    ['Deliveries', 'delivery'],
  ] as const)('lets the %s state machine invoke exactly its task functions', (prefix, machine) => {
    const [, stateMachine] =
      resourcesOfType(template, 'AWS::StepFunctions::StateMachine').find(([id]) =>
        id.startsWith(prefix),
      ) ?? [];
    const roleId = referencedLogicalId(stateMachine.Properties.RoleArn) as string;
    const [invoke] = statementsWith(statementsOfRole(template, roleId), 'lambda:InvokeFunction');
    const taskFunctionIds = entriesTriggeredBy('workflowTask')
      .filter(({ trigger }) => machineOf(trigger) === machine)
      .map(({ module }) => functionOf(template, module)[0]);
    expect(asList(invoke?.Resource).map(referencedLogicalId).sort()).toEqual(
      taskFunctionIds.sort(),
    );
    expect(
      asList(invoke?.Resource).every((resource: Json) => resource['Fn::GetAtt'][1] === 'Arn'),
    ).toBe(true);
  });
});
