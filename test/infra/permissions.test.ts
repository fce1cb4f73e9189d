import { describe, expect, it } from 'vitest';
import { workflowFunctions } from '../../functions/routes.ts';
import { TABLE_READ_ACTIONS, TABLE_WRITE_ACTIONS } from '../../infra/constructs/access-grants.ts';
import { handlerModules } from '../../infra/function-catalog.ts';
import { synthesizedTemplate } from './support/service-app.ts';
import {
  actionsOf,
  asList,
  functionOf,
  type Json,
  type PolicyStatementJson,
  referencedLogicalId,
  renderJoin,
  resourcesOfType,
  statementsOfFunction,
  statementsOfRole,
  statementsWith,
} from './support/template-queries.ts';

const template = synthesizedTemplate();
const modules = handlerModules();
const [tableId] = resourcesOfType(template, 'AWS::DynamoDB::Table')[0] ?? [];
const [secretId] = resourcesOfType(template, 'AWS::SecretsManager::Secret')[0] ?? [];
const [stateMachineId, stateMachine] =
  resourcesOfType(template, 'AWS::StepFunctions::StateMachine')[0] ?? [];
const stateMachineArn = `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:${stateMachine.Properties.StateMachineName}`;

const LOGS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
const XRAY = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
const READ = [...TABLE_READ_ACTIONS];
const READ_WRITE = [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS];

/** docs/architecture.md, "needs" column, as IAM actions (plus own logs and X-Ray). */
const EXPECTED_ACTIONS: Record<string, string[]> = {
  'api/authorize-partner': READ,
  'api/create-request': [...READ_WRITE, 'states:StartExecution'],
  'api/get-request': READ,
  'api/list-requests': READ,
  'api/cancel-request': [...READ_WRITE, 'states:SendTaskFailure'],
  'api/resend-activation': [...READ_WRITE, 'ses:SendEmail', 'secretsmanager:GetSecretValue'],
  'api/openapi': [],
  'api/health': [],
  'console/serve-console': [],
  'activation/show-activation': READ_WRITE,
  'activation/decide-activation': [
    ...READ_WRITE,
    'states:SendTaskSuccess',
    'states:SendTaskFailure',
  ],
  'workflow/send-activation': [...READ_WRITE, 'ses:SendEmail', 'secretsmanager:GetSecretValue'],
  'workflow/close-request': READ_WRITE,
  'workflow/settle-request': [...READ_WRITE, 'ses:SendEmail'],
  // Plus the dead-letter queue its failed asynchronous invocations go to.
  'events/ses-feedback': [
    ...READ_WRITE,
    'states:SendTaskFailure',
    'sqs:GetQueueAttributes',
    'sqs:GetQueueUrl',
    'sqs:SendMessage',
  ],
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

describe('least privilege (docs/architecture.md)', () => {
  it.each(modules)('%s may do exactly what its module needs', (module) => {
    const expected = [...LOGS, ...XRAY, ...(EXPECTED_ACTIONS[module] ?? ['<missing>'])].sort();
    expect(actionsOf(statementsOfFunction(template, module))).toEqual(expected);
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

  it('attaches no managed policy to any function role', () => {
    for (const module of modules) {
      const [, fn] = functionOf(template, module);
      const role = template.toJSON().Resources[referencedLogicalId(fn.Properties.Role) as string];
      expect(role.Properties.ManagedPolicyArns, module).toBeUndefined();
    }
  });

  it('lets each function write only to its own log group', () => {
    for (const module of modules) {
      const [, fn] = functionOf(template, module);
      const [logStatement] = statementsWith(
        statementsOfFunction(template, module),
        'logs:PutLogEvents',
      );
      expect(referencedLogicalId(logStatement?.Resource)).toBe(
        referencedLogicalId(fn.Properties.LoggingConfig.LogGroup),
      );
    }
  });

  it('only create-request starts executions, and only of this state machine', () => {
    expect(modulesWith('states:StartExecution')).toEqual(['api/create-request']);
    const [statement] = statementsWith(
      statementsOfFunction(template, 'api/create-request'),
      'states:StartExecution',
    );
    expect(renderJoin(statement?.Resource)).toBe(stateMachineArn);
  });

  it('sends task success only from decide-activation, task failure only where listed', () => {
    expect(modulesWith('states:SendTaskSuccess')).toEqual(['activation/decide-activation']);
    expect(modulesWith('states:SendTaskFailure').sort()).toEqual([
      'activation/decide-activation',
      'api/cancel-request',
      'events/ses-feedback',
    ]);
    for (const module of modulesWith('states:SendTaskFailure')) {
      for (const statement of statementsWith(
        statementsOfFunction(template, module),
        'states:SendTaskFailure',
      )) {
        expect(renderJoin(statement.Resource)).toBe(stateMachineArn);
      }
    }
  });

  it('the ARN functions carry is the ARN the state machine gets', () => {
    expect(stateMachine.Properties.StateMachineName).toBe('SmartAccountRequests-request');
    const [, create] = functionOf(template, 'api/create-request');
    expect(renderJoin(create.Properties.Environment.Variables.STATE_MACHINE_ARN)).toBe(
      stateMachineArn,
    );
    expect(template.toJSON().Outputs.StateMachineArn.Value).toEqual({ Ref: stateMachineId });
  });

  it('sends mail only through the sender identity and configuration set', () => {
    expect(modulesWith('ses:SendEmail').sort()).toEqual([
      'api/resend-activation',
      'workflow/send-activation',
      'workflow/settle-request',
    ]);
    const [identityId] = resourcesOfType(template, 'AWS::SES::EmailIdentity')[0] ?? [];
    const [configurationSetId] = resourcesOfType(template, 'AWS::SES::ConfigurationSet')[0] ?? [];
    for (const module of modulesWith('ses:SendEmail')) {
      const [statement] = statementsWith(statementsOfFunction(template, module), 'ses:SendEmail');
      expect(asList(statement?.Resource).map(renderJoin).sort()).toEqual([
        `arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:configuration-set/<${configurationSetId}>`,
        `arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/<${identityId}>`,
      ]);
    }
  });

  it('reads the activation secret only from send-activation and resend-activation', () => {
    expect(modulesWith('secretsmanager:GetSecretValue').sort()).toEqual([
      'api/resend-activation',
      'workflow/send-activation',
    ]);
    for (const module of modulesWith('secretsmanager:GetSecretValue')) {
      const [statement] = statementsWith(
        statementsOfFunction(template, module),
        'secretsmanager:GetSecretValue',
      );
      expect(statement?.Resource).toEqual({ Ref: secretId });
    }
  });

  it('scopes table access to the table, and the index only for list-requests', () => {
    for (const module of modules) {
      const [statement] = statementsWith(
        statementsOfFunction(template, module),
        'dynamodb:GetItem',
      );
      if (!statement) continue;
      const resources = asList(statement.Resource).map(renderJoin).sort();
      expect(resources, module).toEqual(
        module === 'api/list-requests'
          ? [`<${tableId}.Arn>`, `<${tableId}.Arn>/index/GSI1`]
          : [`<${tableId}.Arn>`],
      );
    }
  });

  it('lets the state machine invoke exactly the three workflow functions', () => {
    const roleId = referencedLogicalId(stateMachine.Properties.RoleArn) as string;
    const [invoke] = statementsWith(statementsOfRole(template, roleId), 'lambda:InvokeFunction');
    const workflowFunctionIds = Object.values(workflowFunctions).map(
      (module) => functionOf(template, module)[0],
    );
    expect(asList(invoke?.Resource).map(referencedLogicalId).sort()).toEqual(
      workflowFunctionIds.sort(),
    );
    expect(
      asList(invoke?.Resource).every((resource: Json) => resource['Fn::GetAtt'][1] === 'Arn'),
    ).toBe(true);
  });
});
