import { Annotations, CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  authorizerHandler,
  eventFunctions,
  routes,
  workflowFunctions,
} from '../functions/routes.ts';
import { type GrantableResources, grantAccess } from './constructs/access-grants.ts';
import { AlarmTopic } from './constructs/alarm-topic.ts';
import { type CodeForModule, HandlerFunction } from './constructs/handler-function.ts';
import { MailSending } from './constructs/mail-sending.ts';
import { RequestTable } from './constructs/request-table.ts';
import {
  RequestWorkflow,
  stateMachineArnFor,
  type WorkflowFunctionArnSubstitution,
} from './constructs/request-workflow.ts';
import { ServiceAlarms } from './constructs/service-alarms.ts';
import { ServiceApi } from './constructs/service-api.ts';
import { ServiceDashboard } from './constructs/service-dashboard.ts';
import { DEFAULT_SETTINGS, type DeploymentSettings } from './deployment-settings.ts';
import { accessOf, constructIdOf, handlerModules } from './function-catalog.ts';
import { acknowledgeNagFindings } from './nag-acknowledgements.ts';

export interface SmartAccountRequestsStackProps extends StackProps {
  readonly settings: DeploymentSettings;
  /** Tests only: code to deploy instead of esbuild bundles. */
  readonly codeFor?: CodeForModule;
}

export const SERVICE_NAME = 'smart-account-requests';

/** Covers a request's 90-day life plus time for the support case that follows it. */
const LOG_RETENTION = logs.RetentionDays.SIX_MONTHS;

export class SmartAccountRequestsStack extends Stack {
  constructor(scope: Construct, id: string, props: SmartAccountRequestsStackProps) {
    super(scope, id, props);
    const { settings } = props;

    if (settings.senderDomain === DEFAULT_SETTINGS.senderDomain) {
      Annotations.of(this).addWarningV2(
        'smart-account-requests:placeholderSenderDomain',
        `senderDomain is the placeholder ${DEFAULT_SETTINGS.senderDomain}, which SES can never ` +
          'verify: no e-mail will be sent. Deploy with -c senderDomain=<a domain you control>.',
      );
    }

    const data = new RequestTable(this, 'Data');

    // Resend must rebuild the very link it sent before, so the key is not rotated; retained
    // with the table because outstanding links depend on it.
    const activationSecret = new secretsmanager.Secret(this, 'ActivationSecret', {
      description: 'HMAC key for activation codes (functions/shared/crypto.ts)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const functionsScope = new Construct(this, 'Functions');
    const handlers = new Map(
      handlerModules().map((module) => {
        const handler = new HandlerFunction(functionsScope, constructIdOf(module), {
          module,
          environment: { POWERTOOLS_SERVICE_NAME: SERVICE_NAME },
          logRetention: LOG_RETENTION,
          logLevel: 'INFO',
          codeFor: props.codeFor,
          readsSecrets: accessOf(module).activationSecret === true,
        });
        return [module, handler] as const;
      }),
    );
    const functionOf = (module: string): NodejsFunction => {
      const handler = handlers.get(module);
      if (!handler) throw new Error(`No function for functions/${module}.ts`);
      return handler.function;
    };

    const mail = new MailSending(this, 'Mail', {
      senderDomain: settings.senderDomain,
      feedbackHandler: functionOf(eventFunctions.sesFeedback),
    });

    const stateMachineName = `${this.stackName}-request`;
    const workflow = new RequestWorkflow(this, 'Workflow', {
      stateMachineName,
      activationTimeoutSeconds: settings.activationTimeoutSeconds,
      functions: Object.fromEntries(
        Object.entries(workflowFunctions).map(([substitution, module]) => [
          substitution,
          functionOf(module),
        ]),
      ) as Record<WorkflowFunctionArnSubstitution, NodejsFunction>,
      logRetention: LOG_RETENTION,
    });

    const api = new ServiceApi(this, 'Api', {
      restApiName: this.stackName,
      stageName: settings.stageName,
      routes,
      functionFor: functionOf,
      authorizerFunction: functionOf(authorizerHandler),
      logRetention: LOG_RETENTION,
      customDomain: settings.customDomain,
    });
    const publicBaseUrl = settings.publicBaseUrl ?? api.baseUrl;

    // Configuration is not a permission: every handler gets the same settings (as the local
    // stack does) and the role alone decides what it may touch.
    const stateMachineArn = stateMachineArnFor(this, stateMachineName);
    const configuration = {
      TABLE_NAME: data.table.tableName,
      STATE_MACHINE_ARN: stateMachineArn,
      SENDER_EMAIL: settings.senderEmail,
      SES_CONFIGURATION_SET: mail.configurationSet.configurationSetName,
      PUBLIC_BASE_URL: publicBaseUrl,
      ACTIVATION_TIMEOUT_SECONDS: String(settings.activationTimeoutSeconds),
    };
    const grantable: GrantableResources = {
      tableArn: data.table.tableArn,
      partnerRequestsIndexArn: data.partnerRequestsIndexArn,
      stateMachineArn,
      senderIdentityArn: mail.identity.emailIdentityArn,
      configurationSetArn: mail.configurationSetArn,
      activationSecretArn: activationSecret.secretArn,
    };
    for (const [module, handler] of handlers) {
      for (const [name, value] of Object.entries(configuration)) {
        handler.function.addEnvironment(name, value);
      }
      grantAccess(handler, accessOf(module), grantable);
    }

    const monitored = {
      stage: api.restApi.deploymentStage,
      stateMachine: workflow.stateMachine,
      functions: [...handlers].map(([module, handler]) => ({ module, function: handler.function })),
      authorizerModule: authorizerHandler,
      feedbackDeadLetterQueue: mail.feedbackDeadLetterQueue,
    };
    const alarmTopic = new AlarmTopic(this, 'AlarmTopic', { alarmEmail: settings.alarmEmail });
    const alarms = new ServiceAlarms(this, 'Alarms', {
      ...monitored,
      alarmNamePrefix: this.stackName,
      topic: alarmTopic.topic,
    });
    new ServiceDashboard(this, 'Dashboard', {
      ...monitored,
      dashboardName: this.stackName,
      alarms: alarms.alarms,
    });

    new CfnOutput(this, 'ApiUrl', {
      description: 'Partner API, console and activation pages',
      value: api.restApi.url,
    });
    new CfnOutput(this, 'ActivationBaseUrl', {
      description: 'Activation links start with this',
      value: `${publicBaseUrl}/activate/`,
    });
    if (api.customDomainTarget) {
      new CfnOutput(this, 'CustomDomainTarget', {
        description: `CNAME (or alias) ${settings.customDomain?.domainName} to this name`,
        value: api.customDomainTarget,
      });
    }
    new CfnOutput(this, 'TableName', { value: data.table.tableName });
    new CfnOutput(this, 'StateMachineArn', { value: workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarmTopic.topic.topicArn });
    mail.identity.dkimRecords.forEach((record, index) => {
      new CfnOutput(this, `DkimRecord${index + 1}`, {
        description: `CNAME to publish in ${settings.senderDomain} for SES DKIM verification`,
        value: `${record.name} CNAME ${record.value}`,
      });
    });

    acknowledgeNagFindings({
      functionRoles: [...handlers.values()].map((handler) => handler.role),
      stateMachineRole: workflow.stateMachine.role,
      activationSecret,
      feedbackDeadLetterQueue: mail.feedbackDeadLetterQueue,
      restApi: api.restApi,
      partnerMethods: api.partnerMethods,
      publicMethods: api.publicMethods,
    });
  }
}
