import { RequestStatus } from './status.ts';

/**
 * The business metrics: what handlers record (functions/shared/metrics.ts) and what the
 * dashboard graphs (infra/constructs/service-dashboard.ts). Plain data, so infra/ reads the
 * same names without Powertools.
 */
export const METRICS_NAMESPACE = 'SmartAccountRequests';

/** Powertools adds it to every metric as the `service` dimension; log lines carry it too. */
export const SERVICE_NAME = 'smart-account-requests';

export const BusinessMetric = {
  /** A request was created (not a dry run, not a replay). */
  REQUEST_CREATED: 'RequestCreated',
  /** A request reached its outcome and its e-mails went out; dimension `status`. */
  REQUEST_SETTLED: 'RequestSettled',
  /** A create with a known Idempotency-Key answered the stored response. */
  IDEMPOTENT_REPLAY: 'IdempotentReplay',
  /** SES accepted an activation e-mail: the first one or a resend. */
  ACTIVATION_EMAIL_SENT: 'ActivationEmailSent',
  /** SES accepted a reminder to the customer. */
  REMINDER_SENT: 'ReminderSent',
  /** A webhook delivery got a 2xx. */
  WEBHOOK_DELIVERED: 'WebhookDelivered',
  /** A webhook attempt failed and will be tried again. */
  WEBHOOK_RETRIED: 'WebhookRetried',
  /** A webhook delivery gave up after its last attempt (or its endpoint was deleted). */
  WEBHOOK_FAILED: 'WebhookFailed',
  /** The sweep re-signalled a stored decision or started a new execution. */
  SWEEP_REPAIRED: 'SweepRepaired',
  /** The sweep had to repair a request it had repaired before: the alarm's metric. */
  SWEEP_REPEATED_REPAIR: 'SweepRepeatedRepair',
} as const;
export type BusinessMetric = (typeof BusinessMetric)[keyof typeof BusinessMetric];

/** The dimension that splits `RequestSettled` by outcome. */
export const SETTLED_STATUS_DIMENSION = 'status';

/** The outcomes `RequestSettled` is recorded for: every status but the pending one. */
export const settledStatuses = Object.values(RequestStatus).filter(
  (status) => status !== RequestStatus.PENDING_ACTIVATION,
);
