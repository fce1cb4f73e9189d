import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { AttemptOutcome } from '../domain/webhook-delivery.ts';
import {
  BusinessMetric,
  METRICS_NAMESPACE,
  SERVICE_NAME,
  SETTLED_STATUS_DIMENSION,
} from './business-metrics.ts';
import { logger } from './logger.ts';
import type { RequestStatus } from './status.ts';

type MetricsLogger = NonNullable<NonNullable<ConstructorParameters<typeof Metrics>[0]>['logger']>;

// Powertools warns at every flush that has no metrics. Most invocations record none by design
// (reads, rejected input, pages, the workflow's other steps), so that notice is debug; every
// other warning of Powertools (an invalid dimension or metric) stays a warning.
const NO_METRICS_NOTICE = 'No application metrics to publish';
const metricsLog: MetricsLogger = {
  debug: (message: string) => logger.debug(message),
  info: (message: string) => logger.info(message),
  warn: (message: string) =>
    message.startsWith(NO_METRICS_NOTICE) ? logger.debug(message) : logger.warn(message),
  error: (message: string) => logger.error(message),
};

/**
 * One Metrics per Lambda, flushed as EMF (a JSON line CloudWatch turns into metrics) once per
 * invocation by `logMetrics` (functions/shared/observability.ts). `POWERTOOLS_METRICS_DISABLED`
 * turns the output off (the tests and the local stack set it).
 */
export const metrics = new Metrics({
  namespace: METRICS_NAMESPACE,
  serviceName: SERVICE_NAME,
  logger: metricsLog,
});

const WEBHOOK_METRIC: Readonly<Record<AttemptOutcome, BusinessMetric | undefined>> = {
  succeeded: BusinessMetric.WEBHOOK_DELIVERED,
  retrying: BusinessMetric.WEBHOOK_RETRIED,
  failed: BusinessMetric.WEBHOOK_FAILED,
  skipped: undefined,
};

const count = (name: BusinessMetric) => {
  metrics.addMetric(name, MetricUnit.Count, 1);
};

/**
 * What handlers and the HTTP layer record; the domain never does (it knows no Powertools), so
 * each is recorded where the outcome is known: after the domain call returned.
 */
export const businessMetrics = {
  requestCreated: () => count(BusinessMetric.REQUEST_CREATED),
  idempotentReplay: () => count(BusinessMetric.IDEMPOTENT_REPLAY),
  activationEmailSent: () => count(BusinessMetric.ACTIVATION_EMAIL_SENT),
  reminderSent: () => count(BusinessMetric.REMINDER_SENT),
  /** Partner-independent: no endpoint or partner dimension (cardinality, privacy). */
  webhookAttempt: (outcome: AttemptOutcome) => {
    const metric = WEBHOOK_METRIC[outcome];
    if (metric) count(metric);
  },
  /** One sweep pass: repairs, and repairs of requests repaired before (0 is recorded too). */
  sweepPass: (repaired: number, repeated: number) => {
    metrics.addMetric(BusinessMetric.SWEEP_REPAIRED, MetricUnit.Count, repaired);
    metrics.addMetric(BusinessMetric.SWEEP_REPEATED_REPAIR, MetricUnit.Count, repeated);
  },
  /** Its own EMF record: the status dimension must not spread to the invocation's other metrics. */
  requestSettled: (status: RequestStatus) => {
    const settled = metrics.singleMetric();
    settled.addDimension(SETTLED_STATUS_DIMENSION, status);
    settled.addMetric(BusinessMetric.REQUEST_SETTLED, MetricUnit.Count, 1);
  },
};
