/**
 * Configuration from the environment, read when first needed so tests and the local stack
 * can set variables before a handler builds its adapters.
 */
const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`Missing required environment variable ${name}`);
  return value;
};

const integer = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
};

const positiveNumber = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};

import { parseReminderOffsets } from '../domain/reminders.ts';
import { DEFAULT_RETENTION_DAYS } from '../domain/retention.ts';
import { parseRetrySeconds } from '../domain/webhook-retries.ts';

export const DEFAULT_ACTIVATION_TIMEOUT_SECONDS = 7_776_000;

export const config = {
  tableName: () => required('TABLE_NAME'),
  stateMachineArn: () => required('STATE_MACHINE_ARN'),
  senderEmail: () => required('SENDER_EMAIL'),
  /** The webhook-delivery state machine (statemachines/webhook-delivery.asl.json). */
  deliveryStateMachineArn: () => required('DELIVERY_STATE_MACHINE_ARN'),
  /** Delays between webhook delivery attempts. */
  webhookRetrySeconds: () => parseRetrySeconds(process.env.WEBHOOK_RETRY_SECONDS),
  /** The stack's EventBridge bus every event goes to. */
  eventBusName: () => required('EVENT_BUS_NAME'),
  sesConfigurationSet: () => process.env.SES_CONFIGURATION_SET || undefined,
  /** Links and the allowed Origin come from here, never from the request's Host header. */
  publicBaseUrl: () => required('PUBLIC_BASE_URL').replace(/\/+$/, ''),
  activationTimeoutSeconds: () =>
    integer('ACTIVATION_TIMEOUT_SECONDS', DEFAULT_ACTIVATION_TIMEOUT_SECONDS),
  /** Seconds before expiry at which a pending request reminds its customer. */
  reminderOffsetsSeconds: () => parseReminderOffsets(process.env.ACTIVATION_REMINDER_SECONDS),
  /**
   * How long a request may sit without a task token (its execution never started, e.g. the
   * create Lambda crashed after the write) before its domain lock may be taken over.
   */
  abandonedAfterSeconds: () => integer('ABANDONED_AFTER_SECONDS', 300),
  maxResends: () => integer('MAX_RESENDS', 5),
  /** Unknown activation codes one client may try per 15 minutes before getting 429. */
  maxActivationMisses: () => integer('MAX_ACTIVATION_MISSES', 10),
  /** How often the sweep runs (AWS: the schedule rule's rate; locally its timer). */
  sweepPeriodSeconds: () => integer('SWEEP_INTERVAL_SECONDS', 300),
  activationSecretValue: () => process.env.ACTIVATION_SECRET || undefined,
  activationSecretArn: () => process.env.ACTIVATION_SECRET_ARN || undefined,
  /** The REST API and stage whose authorizer cache a revoked key is flushed from. */
  restApiId: () => required('REST_API_ID'),
  stageName: () => required('STAGE_NAME'),
  /**
   * Days a closed request, its timeline and its domain lock are kept after it closed. A
   * fraction shortens it locally to watch a deletion (the CDK takes whole days only).
   */
  retentionDays: () => positiveNumber('RETENTION_DAYS', DEFAULT_RETENTION_DAYS),
  /** The sweep deletes what retention is done with: set by `npm start` (dynalite has no TTL). */
  retentionBySweep: () => process.env.RETENTION_BY_SWEEP === 'true',
  /** Webhooks may also go to http:// and loopback: set by `npm start` only, never by the CDK. */
  webhookAllowLocal: () => process.env.WEBHOOK_ALLOW_LOCAL === 'true',
} as const;
