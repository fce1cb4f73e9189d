import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ActivationDecisions } from '../domain/activation-decisions.ts';
import { ActivationMail } from '../domain/activation-mail.ts';
import { endWait } from '../domain/cancellation.ts';
import { RequestCorrections } from '../domain/correction.ts';
import { Notifications } from '../domain/notifications.ts';
import { ReminderMail } from '../domain/reminder-mail.ts';
import { SweepDelay, Sweeper } from '../domain/sweep.ts';
import { config } from '../shared/config.ts';
import { activationSecret } from './activation-secret.ts';
import { createDocumentClient, createSesClient, createSfnClient } from './clients.ts';
import { DynamoAttemptLimiter } from './dynamo-attempt-limiter.ts';
import { DynamoDomainLocks } from './dynamo-domain-locks.ts';
import { DynamoIdempotencyStore } from './dynamo-idempotency-store.ts';
import { DynamoPartnerStore } from './dynamo-partner-store.ts';
import { DynamoRequestStore } from './dynamo-request-store.ts';
import { DynamoSweepStore } from './dynamo-sweep-store.ts';
import { SesMailer } from './ses-mailer.ts';
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

export const idempotencyStore = (): DynamoIdempotencyStore =>
  new DynamoIdempotencyStore(documents(), config.tableName());

export const workflow = (): SfnWorkflow =>
  new SfnWorkflow(createSfnClient(), config.stateMachineArn());

export const notifications = (): Notifications =>
  new Notifications(
    new SesMailer(createSesClient(), config.senderEmail(), config.sesConfigurationSet()),
  );

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
  return new Sweeper(
    new DynamoSweepStore(documents(), config.tableName()),
    {
      isRunning: (requestId, attempt) => signals.isRunning(requestId, attempt),
      start: (requestId, attempt) => signals.start(requestId, attempt),
      endWait: (request) => endWait(signals, request),
    },
    { periodSeconds: config.sweepPeriodSeconds(), graceSeconds: SweepDelay.AFTER_WAKE_SECONDS },
  );
};

export const attemptLimiter = (): DynamoAttemptLimiter =>
  new DynamoAttemptLimiter(documents(), config.tableName(), {
    maxMisses: config.maxActivationMisses(),
    windowSeconds: 15 * 60,
  });
