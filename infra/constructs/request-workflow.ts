import { join } from 'node:path';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { WorkflowSubstitution } from '../../functions/catalog.ts';
import { PROJECT_ROOT } from './bundling.ts';

/** The very file the local stack runs. */
export const WORKFLOW_DEFINITION_FILE = join(
  PROJECT_ROOT,
  'statemachines',
  'smart-account-request.asl.json',
);

/** The webhook-delivery machine's file, run locally as well. */
export const DELIVERY_DEFINITION_FILE = join(
  PROJECT_ROOT,
  'statemachines',
  'webhook-delivery.asl.json',
);

export interface RequestWorkflowProps {
  readonly stateMachineName: string;
  /** The ASL file; the request's machine by default. */
  readonly definitionFile?: string;
  /** The function behind each `${...FunctionArn}` substitution of the ASL file. */
  readonly functions: Readonly<Record<WorkflowSubstitution, lambda.IFunction>>;
  readonly logRetention: logs.RetentionDays;
}

/**
 * The DefinitionSubstitutions the ASL file expects: the task functions' ARNs only. No timing:
 * the table holds the schedule (expiresAt), and the Wake step reads it.
 */
export const definitionSubstitutionsFor = (
  functionArns: Readonly<Record<WorkflowSubstitution, string>>,
): Record<string, string> => ({ ...functionArns });

/**
 * A Standard state machine defined by one of the shared ASL files: one execution per request,
 * or (with DELIVERY_DEFINITION_FILE) one per webhook delivery.
 */
export class RequestWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: RequestWorkflowProps) {
    super(scope, id);

    // The vendedlogs prefix keeps Step Functions from growing the account's log resource policy.
    // A fixed name cannot be retained (a redeployed stack would collide with it), and these
    // lines carry no execution data, so the group goes with the stack.
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${props.stateMachineName}`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const functionArns = Object.fromEntries(
      Object.entries(props.functions).map(([key, fn]) => [key, fn.functionArn]),
    ) as Record<WorkflowSubstitution, string>;

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromFile(props.definitionFile ?? WORKFLOW_DEFINITION_FILE),
      definitionSubstitutions: definitionSubstitutionsFor(functionArns),
      logs: {
        destination: logGroup,
        level: sfn.LogLevel.ALL,
        // Execution data would put task tokens and customer addresses into CloudWatch Logs.
        includeExecutionData: false,
      },
      tracingEnabled: true,
    });

    // Exactly the workflow's functions, unqualified: no `:*` version wildcard. The functions
    // must therefore not refer to this state machine (its ARN, a grant on it): that would be a
    // CloudFormation dependency cycle (the stack refuses such a catalog entry).
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: Object.values(functionArns),
      }),
    );
  }
}
