import { Stack, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { IConstruct } from 'constructs';

/** The constructs that carry an acknowledged cdk-nag finding. */
export interface AcknowledgedConstructs {
  readonly functionRoles: readonly iam.IRole[];
  readonly stateMachineRole: iam.IRole;
  /** The webhook-delivery machine's role: the same log-delivery and X-Ray wildcards. */
  readonly deliveryMachineRole: iam.IRole;
  readonly stateMachine: sfn.StateMachine;
  /** Roles of the functions that describe executions (the sweep). */
  readonly executionDescriberRoles: readonly iam.IRole[];
  readonly activationSecret: IConstruct;
  readonly feedbackDeadLetterQueue: IConstruct;
  readonly retentionDeadLetterQueue: IConstruct;
  readonly restApi: apigw.RestApi;
  readonly partnerMethods: readonly apigw.Method[];
  readonly publicMethods: readonly apigw.Method[];
}

/**
 * Every cdk-nag (AwsSolutions) finding this stack accepts, each on the narrowest construct and
 * with the reason it is acceptable. Anything not listed here fails the synth.
 */
export const NAG_ACKNOWLEDGEMENTS = {
  functionXRay: {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Active X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no ' +
      'resource-level permissions. Every other statement of the role names exact ARNs ' +
      '(asserted in test/infra).',
  },
  stateMachineLogsAndXRay: {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Step Functions log delivery (logs:CreateLogDelivery and related) and X-Ray ' +
      '(xray:PutTraceSegments and related) support no resource-level permissions. ' +
      'lambda:InvokeFunction is limited to the exact ARNs of the functions the machine invokes.',
  },
  describeOwnExecutions: {
    id: 'AwsSolutions-IAM5[Resource::<executions of the state machine>:*]',
    reason:
      "states:DescribeExecution on this machine's executions only: their names are request " +
      'ids (plus an attempt number), unknown until a request exists, so no narrower ARN can be ' +
      'written. The sweep reads an execution only to tell a running one from a gone one.',
  },
  activationSecretRotation: {
    id: 'AwsSolutions-SMG4',
    reason:
      'HMAC key of the activation codes. Resend must send the same link again (contract), and a ' +
      'rotated key would invalidate every outstanding link for up to the activation timeout. ' +
      'Only send-activation and resend-activation may read it.',
  },
  feedbackQueueIsTheDlq: {
    id: 'AwsSolutions-SQS3',
    reason:
      'This queue is itself the dead-letter queue of the SES feedback path (EventBridge target ' +
      'DLQ and Lambda on-failure destination); an alarm fires on its first message.',
  },
  retentionQueueIsTheDlq: {
    id: 'AwsSolutions-SQS3',
    reason:
      "This queue is itself the on-failure destination of the retention handler's stream " +
      'records (records that failed every retry); an alarm fires on its first message.',
  },
  apiBodyValidation: {
    id: 'AwsSolutions-APIG2',
    reason:
      'A parameter validator guards the partner methods. Bodies are validated by the handlers ' +
      '(zod) because the contract needs problem+json with one errors[] entry per bad field and ' +
      '413/415 statuses, which API Gateway model validation cannot produce.',
  },
  apiGatewayLoggingRole: {
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
    reason:
      "API Gateway's account-level CloudWatch role for execution logs. The AWS managed policy is " +
      'the documented policy for this service role and holds only log-delivery actions.',
  },
  publicMethodAuthorization: {
    id: 'AwsSolutions-APIG4',
    reason:
      'Public by contract: health check, OpenAPI document, the partner console (static files; ' +
      'it calls /v1 with the partner key), and the customer activation pages, which the ' +
      'unguessable activation code in the path authorizes.',
  },
  publicMethodCognito: {
    id: 'AwsSolutions-COG4',
    reason: 'Public by contract (see AwsSolutions-APIG4 on this method); no user pool applies.',
  },
  partnerMethodCognito: {
    id: 'AwsSolutions-COG4',
    reason:
      'Partners authenticate with API keys (contract: Authorization: Bearer <key>, stored as ' +
      'hashes), checked by the cached Lambda REQUEST authorizer; there is no Cognito user pool.',
  },
} as const;

export const acknowledgeNagFindings = (constructs: AcknowledgedConstructs): void => {
  const acknowledge = (
    construct: IConstruct,
    ...entries: { readonly id: string; readonly reason: string }[]
  ): void => {
    Validations.of(construct).acknowledge(...entries.map(({ id, reason }) => ({ id, reason })));
  };
  const ack = NAG_ACKNOWLEDGEMENTS;

  for (const role of constructs.functionRoles) acknowledge(role, ack.functionXRay);
  acknowledge(constructs.stateMachineRole, ack.stateMachineLogsAndXRay);
  acknowledge(constructs.deliveryMachineRole, ack.stateMachineLogsAndXRay);
  // cdk-nag names the finding after the resource as synthesized: the executions ARN that
  // stateMachine.grantExecution builds from the machine's name.
  const machineLogicalId = Stack.of(constructs.stateMachine).getLogicalId(
    constructs.stateMachine.node.defaultChild as import('aws-cdk-lib').CfnElement,
  );
  const machineName = JSON.stringify({
    'Fn::Select': [6, { 'Fn::Split': [':', { Ref: machineLogicalId }] }],
  });
  const executionsFinding = {
    ...ack.describeOwnExecutions,
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${machineName}:*]`,
  };
  for (const role of constructs.executionDescriberRoles) acknowledge(role, executionsFinding);
  acknowledge(constructs.activationSecret, ack.activationSecretRotation);
  acknowledge(constructs.feedbackDeadLetterQueue, ack.feedbackQueueIsTheDlq);
  acknowledge(constructs.retentionDeadLetterQueue, ack.retentionQueueIsTheDlq);
  acknowledge(constructs.restApi, ack.apiBodyValidation);
  const cloudWatchRole = constructs.restApi.node.tryFindChild('CloudWatchRole');
  if (cloudWatchRole) acknowledge(cloudWatchRole, ack.apiGatewayLoggingRole);
  for (const method of constructs.publicMethods) {
    acknowledge(method, ack.publicMethodAuthorization, ack.publicMethodCognito);
  }
  for (const method of constructs.partnerMethods) acknowledge(method, ack.partnerMethodCognito);
};
