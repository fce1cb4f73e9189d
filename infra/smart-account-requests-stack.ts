import {
  Annotations,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  catalog,
  constructIdOf,
  entriesTriggeredBy,
  type FunctionEntry,
  machineOf,
  onlyEntryTriggeredBy,
  routeTable,
  type SettingName,
  settingsOf,
} from '../functions/catalog.ts';
import { authorizerCacheArn, grantUses } from './constructs/access-grants.ts';
import { AlarmTopic } from './constructs/alarm-topic.ts';
import { type CodeForModule, HandlerFunction } from './constructs/handler-function.ts';
import { MailSending } from './constructs/mail-sending.ts';
import { RequestExpiry } from './constructs/request-expiry.ts';
import { RequestTable } from './constructs/request-table.ts';
import { DELIVERY_DEFINITION_FILE, RequestWorkflow } from './constructs/request-workflow.ts';
import { ServiceAlarms } from './constructs/service-alarms.ts';
import { ServiceApi } from './constructs/service-api.ts';
import { ServiceDashboard } from './constructs/service-dashboard.ts';
import { DEFAULT_SETTINGS, type DeploymentSettings } from './deployment-settings.ts';
import { acknowledgeNagFindings } from './nag-acknowledgements.ts';

export interface SmartAccountRequestsStackProps extends StackProps {
  readonly settings: DeploymentSettings;
  /** Tests only: code to deploy instead of esbuild bundles. */
  readonly codeFor?: CodeForModule;
  /** Tests only: another catalog than functions/catalog.ts (e.g. with one entry more). */
  readonly catalog?: readonly FunctionEntry[];
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

    const data = new RequestTable(this, 'Data', { filterIndexes: settings.filterIndexes });

    // Resend must rebuild the very link it sent before, so the key is not rotated; retained
    // with the table because outstanding links depend on it.
    const activationSecret = new secretsmanager.Secret(this, 'ActivationSecret', {
      description: 'HMAC key for activation codes (functions/shared/crypto.ts)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const entries = props.catalog ?? catalog;
    const functionsScope = new Construct(this, 'Functions');
    const handlers = new Map(
      entries.map((entry) => {
        const handler = new HandlerFunction(functionsScope, constructIdOf(entry.module), {
          entry,
          environment: { POWERTOOLS_SERVICE_NAME: SERVICE_NAME },
          logRetention: LOG_RETENTION,
          logLevel: 'INFO',
          codeFor: props.codeFor,
        });
        return [entry.module, handler] as const;
      }),
    );
    const functionOf = (module: string): NodejsFunction => {
      const handler = handlers.get(module);
      if (!handler) throw new Error(`No function for functions/${module}.ts`);
      return handler.function;
    };

    const feedbackEntry = entriesTriggeredBy('event', entries).find(
      (entry) => entry.trigger.source === 'sesFeedback',
    );
    if (!feedbackEntry) throw new Error('functions/catalog.ts has no sesFeedback event entry');
    const mail = new MailSending(this, 'Mail', {
      senderDomain: settings.senderDomain,
      feedbackHandler: functionOf(feedbackEntry.module),
    });

    const expiryEntry = entriesTriggeredBy('event', entries).find(
      (entry) => entry.trigger.source === 'requestExpiry',
    );
    if (!expiryEntry) throw new Error('functions/catalog.ts has no requestExpiry event entry');
    const retention = new RequestExpiry(this, 'Retention', {
      table: data.table,
      handler: functionOf(expiryEntry.module),
    });

    const allTasks = entriesTriggeredBy('workflowTask', entries);
    const workflowEntries = allTasks.filter((entry) => machineOf(entry.trigger) === 'request');
    const deliveryEntries = allTasks.filter((entry) => machineOf(entry.trigger) === 'delivery');
    for (const entry of allTasks) {
      // A machine refers to its functions' ARNs; a function referring back to its machine
      // (its ARN in the environment, a grant on it) would be a CloudFormation dependency cycle.
      const refersBack =
        machineOf(entry.trigger) === 'request'
          ? entry.uses.workflow?.length
          : entry.uses.deliveries;
      if (refersBack) {
        throw new Error(
          `functions/${entry.module}.ts is a workflow task and cannot also use the workflow`,
        );
      }
    }
    const tasksOf = (tasks: typeof allTasks) =>
      Object.fromEntries(
        tasks.map((entry) => [entry.trigger.substitution, functionOf(entry.module)]),
      );
    const workflow = new RequestWorkflow(this, 'Workflow', {
      stateMachineName: `${this.stackName}-request`,
      functions: tasksOf(workflowEntries),
      logRetention: LOG_RETENTION,
    });
    const deliveryWorkflow = new RequestWorkflow(this, 'Deliveries', {
      stateMachineName: `${this.stackName}-webhook-delivery`,
      definitionFile: DELIVERY_DEFINITION_FILE,
      functions: tasksOf(deliveryEntries),
      logRetention: LOG_RETENTION,
    });

    const authorizerEntry = onlyEntryTriggeredBy('authorizer', entries);
    const api = new ServiceApi(this, 'Api', {
      restApiName: this.stackName,
      stageName: settings.stageName,
      routes: routeTable(entries),
      functionFor: functionOf,
      authorizerFunction: functionOf(authorizerEntry.module),
      logRetention: LOG_RETENTION,
      customDomain: settings.customDomain,
    });
    const publicBaseUrl = settings.publicBaseUrl ?? api.baseUrl;

    const schedules = new Construct(this, 'Schedules');
    for (const entry of entriesTriggeredBy('schedule', entries)) {
      new events.Rule(schedules, constructIdOf(entry.module), {
        description: `functions/${entry.module}.ts every ${entry.trigger.everyMinutes} min`,
        schedule: events.Schedule.rate(Duration.minutes(entry.trigger.everyMinutes)),
        // The next run comes soon enough: no retries piling up behind it.
        targets: [new targets.LambdaFunction(functionOf(entry.module), { retryAttempts: 0 })],
      });
    }

    // Every change of a request, for the deploying team's rules (docs/events.md).
    const eventBus = new events.EventBus(this, 'EventBus', {
      eventBusName: `${this.stackName}-events`,
    });

    // Each function gets the settings its uses imply and nothing else (settingsOf), and the
    // grants they imply, through the constructs' own grant methods (grantUses).
    const settingValues: Record<SettingName, string> = {
      TABLE_NAME: data.table.tableName,
      STATE_MACHINE_ARN: workflow.stateMachine.stateMachineArn,
      SENDER_EMAIL: settings.senderEmail,
      SES_CONFIGURATION_SET: mail.configurationSet.configurationSetName,
      PUBLIC_BASE_URL: publicBaseUrl,
      ACTIVATION_SECRET_ARN: activationSecret.secretArn,
      ACTIVATION_TIMEOUT_SECONDS: String(settings.activationTimeoutSeconds),
      ACTIVATION_REMINDER_SECONDS: settings.activationReminderSeconds.join(','),
      EVENT_BUS_NAME: eventBus.eventBusName,
      DELIVERY_STATE_MACHINE_ARN: deliveryWorkflow.stateMachine.stateMachineArn,
      WEBHOOK_RETRY_SECONDS: settings.webhookRetrySeconds.join(','),
      RETENTION_DAYS: String(settings.retentionDays),
      // The API's id and the stage's name as a string, not the Stage: the stage depends on the
      // deployment, which depends on the methods, which depend on these functions.
      REST_API_ID: api.restApi.restApiId,
      STAGE_NAME: settings.stageName,
    };
    const grantable = {
      eventBus,
      deliveryMachine: deliveryWorkflow.stateMachine,
      table: data.table,
      stateMachine: workflow.stateMachine,
      mail,
      activationSecret,
      authorizerCacheArn: authorizerCacheArn(api.restApi.restApiId, settings.stageName),
    };
    for (const entry of entries) {
      const fn = functionOf(entry.module);
      for (const name of settingsOf(entry.uses)) fn.addEnvironment(name, settingValues[name]);
      grantUses(fn, entry.uses, grantable);
    }

    const monitored = {
      stage: api.restApi.deploymentStage,
      stateMachine: workflow.stateMachine,
      functions: [...handlers].map(([module, handler]) => ({ module, function: handler.function })),
      authorizerModule: authorizerEntry.module,
      feedbackDeadLetterQueue: mail.feedbackDeadLetterQueue,
      retentionDeadLetterQueue: retention.deadLetters,
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

    new CfnOutput(this, 'EventBusName', {
      description: 'EventBridge bus with every change of a request (source smart-account-requests)',
      value: eventBus.eventBusName,
    });
    new CfnOutput(this, 'EventBusArn', { value: eventBus.eventBusArn });
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
      deliveryMachineRole: deliveryWorkflow.stateMachine.role,
      stateMachine: workflow.stateMachine,
      executionDescriberRoles: entries
        .filter((entry) => entry.uses.workflow?.includes('describeExecution'))
        .map((entry) => (handlers.get(entry.module) as HandlerFunction).role),
      activationSecret,
      feedbackDeadLetterQueue: mail.feedbackDeadLetterQueue,
      retentionDeadLetterQueue: retention.deadLetters,
      restApi: api.restApi,
      partnerMethods: api.partnerMethods,
      publicMethods: api.publicMethods,
    });
  }
}
