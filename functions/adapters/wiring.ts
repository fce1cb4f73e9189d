import type { SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ActivationDecisions } from '../domain/activation-decisions.ts';
import { ActivationMail } from '../domain/activation-mail.ts';
import { endWait } from '../domain/cancellation.ts';
import { RequestCorrections } from '../domain/correction.ts';
import { DeliverySweep } from '../domain/delivery-sweep.ts';
import { EventPublisher, emailEntry } from '../domain/event-publisher.ts';
import { TimelineType } from '../domain/events.ts';
import { Notifications } from '../domain/notifications.ts';
import { ReminderMail } from '../domain/reminder-mail.ts';
import { Retention } from '../domain/retention.ts';
import { SweepDelay, Sweeper } from '../domain/sweep.ts';
import { webhookFanOut } from '../domain/webhook-delivery.ts';
import { config } from '../shared/config.ts';
import { activationSecret } from './activation-secret.ts';
import {
  createApiGatewayClient,
  createDocumentClient,
  createEventBridgeClient,
  createSesClient,
  createSfnClient,
} from './clients.ts';
import { DynamoApiKeys } from './dynamo-api-keys.ts';
import { DynamoAttemptLimiter } from './dynamo-attempt-limiter.ts';
import { DynamoDeliveries } from './dynamo-deliveries.ts';
import { DynamoDomainLocks } from './dynamo-domain-locks.ts';
import { DynamoEventLog } from './dynamo-event-log.ts';
import { DynamoIdempotencyStore } from './dynamo-idempotency-store.ts';
import { DynamoPartnerStore } from './dynamo-partner-store.ts';
import { DynamoRequestStore } from './dynamo-request-store.ts';
import { DynamoRetainedItems } from './dynamo-retained-items.ts';
import { DynamoStatusCounts } from './dynamo-status-counts.ts';
import { DynamoSweepStore } from './dynamo-sweep-store.ts';
import { DynamoWebhookEndpoints } from './dynamo-webhook-endpoints.ts';
import { EventBridgeBus } from './event-bus.ts';
import { GatewayAuthorizerCache } from './gateway-authorizer-cache.ts';
import { SesMailer } from './ses-mailer.ts';
import { SfnDeliveryStarter } from './sfn-delivery-starter.ts';
import { SfnWorkflow } from './sfn-workflow.ts';

/**
 * Factories for the adapters a handler needs. Handlers call them at module scope, so each
 * Lambda container builds its clients once; a handler that never mails never builds SES.
 */
let documentClient: DynamoDBDocumentClient | undefined;
const documents = (): DynamoDBDocumentClient => {
  documentClient ??= createDocumentClient();
  return documentClient;
};

export const requestStore = (): DynamoRequestStore =>
  new DynamoRequestStore(documents(), config.tableName());

export const domainLocks = (): DynamoDomainLocks =>
  new DynamoDomainLocks(documents(), config.tableName());

export const partnerStore = (): DynamoPartnerStore =>
  new DynamoPartnerStore(documents(), config.tableName());

/** The partners' API keys (functions/domain/api-keys.ts). */
export const apiKeys = (): DynamoApiKeys => new DynamoApiKeys(documents(), config.tableName());

/** The stage's authorizer cache, flushed when a key is revoked. */
export const authorizerCache = (): GatewayAuthorizerCache =>
  new GatewayAuthorizerCache(createApiGatewayClient(), () => ({
    restApiId: config.restApiId(),
    stageName: config.stageName(),
  }));

export const idempotencyStore = (): DynamoIdempotencyStore =>
  new DynamoIdempotencyStore(documents(), config.tableName());

export const workflow = (): SfnWorkflow =>
  new SfnWorkflow(createSfnClient(), config.stateMachineArn());

export const notifications = (): Notifications => {
  const log = eventLog();
  return new Notifications(
    new SesMailer(createSesClient(), config.senderEmail(), config.sesConfigurationSet()),
    (requestId, kind, to) =>
      log.recordEmail(requestId, emailEntry(TimelineType.EMAIL_SENT, kind, to)),
  );
};

export const activationMail = (): ActivationMail =>
  new ActivationMail(requestStore(), notifications(), {
    secret: activationSecret,
    publicBaseUrl: config.publicBaseUrl,
  });

export const reminderMail = (): ReminderMail => {
  const mail = activationMail();
  return new ReminderMail(
    requestStore(),
    partnerStore(),
    notifications(),
    (request) => mail.linkOf(request),
    config.reminderOffsetsSeconds(),
  );
};

export const requestCorrections = (): RequestCorrections =>
  new RequestCorrections(requestStore(), activationMail());

export const activationDecisions = (): ActivationDecisions =>
  new ActivationDecisions(requestStore(), workflow());

export const sweeper = (): Sweeper => {
  const signals = workflow();
  const events = eventPublisher();
  // Locally the sweep deletes what retention is done with (dynalite has no TTL).
  const forgetting = config.retentionBySweep() ? retention() : undefined;
  return new Sweeper(
    new DynamoSweepStore(documents(), config.tableName()),
    {
      isRunning: (requestId, attempt) => signals.isRunning(requestId, attempt),
      start: (requestId, attempt) => signals.start(requestId, attempt),
      endWait: (request) => endWait(signals, request),
    },
    { periodSeconds: config.sweepPeriodSeconds(), graceSeconds: SweepDelay.AFTER_WAKE_SECONDS },
    {
      publish: (requestId) => events.publish(requestId),
      ...(forgetting
        ? { forget: (requestId: string, now: Date) => forgetting.forget(requestId, now) }
        : {}),
    },
  );
};

/** Deletes closed requests whose retention ended (functions/domain/retention.ts). */
export const retention = (): Retention =>
  new Retention(
    requestStore(),
    new DynamoRetainedItems(documents(), config.tableName()),
    statusCounts(),
    domainLocks(),
  );

/** The partner's per-status counters (functions/domain/status-counts.ts). */
export const statusCounts = (): DynamoStatusCounts =>
  new DynamoStatusCounts(documents(), config.tableName());

/** The partner's webhook endpoints and their deliveries (functions/domain/webhook-ports.ts). */
export const webhookEndpoints = (): DynamoWebhookEndpoints =>
  new DynamoWebhookEndpoints(documents(), config.tableName());

export const deliveries = (): DynamoDeliveries =>
  new DynamoDeliveries(documents(), config.tableName());

let sfnClient: SFNClient | undefined;
const stepFunctions = (): SFNClient => {
  sfnClient ??= createSfnClient();
  return sfnClient;
};

export const deliveryStarter = (): SfnDeliveryStarter =>
  new SfnDeliveryStarter(stepFunctions(), config.deliveryStateMachineArn());

/**
 * Publishes the events in a request's outbox: the event item, the bus entry and one delivery
 * per subscribed endpoint (functions/domain/event-publisher.ts).
 */
export const eventPublisher = (): EventPublisher =>
  new EventPublisher(
    requestStore(),
    new DynamoEventLog(documents(), config.tableName()),
    new EventBridgeBus(createEventBridgeClient(), config.eventBusName()),
    webhookFanOut(webhookEndpoints(), deliveries(), deliveryStarter()),
  );

export const eventLog = (): DynamoEventLog => new DynamoEventLog(documents(), config.tableName());

export const deliverySweep = (): DeliverySweep =>
  new DeliverySweep(deliveries(), deliveryStarter());

export const attemptLimiter = (): DynamoAttemptLimiter =>
  new DynamoAttemptLimiter(documents(), config.tableName(), {
    maxMisses: config.maxActivationMisses(),
    windowSeconds: 15 * 60,
  });
