import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import {
  type BusinessMetric,
  METRICS_NAMESPACE,
  SERVICE_NAME,
} from '../../functions/shared/business-metrics.ts';

/** What the alarms and the dashboard watch. */
export interface MonitoredResources {
  readonly stage: apigw.Stage;
  readonly stateMachine: sfn.IStateMachine;
  readonly functions: readonly { readonly module: string; readonly function: lambda.IFunction }[];
  /**
   * Throws "Unauthorized" for every unknown key (API Gateway's way to answer 401), so its
   * Errors metric counts rejected callers; its real failures surface as API 5XX instead.
   */
  readonly authorizerModule: string;
  readonly feedbackDeadLetterQueue: sqs.IQueue;
  /** Stream records of TTL-deleted requests whose rest could not be deleted (retention). */
  readonly retentionDeadLetterQueue: sqs.IQueue;
}

export const FIVE_MINUTES = Duration.minutes(5);

/**
 * Account-level SES reputation, the figures SES itself acts on: review at 5 % bounces or
 * 0.1 % complaints, sending paused at 10 % / 0.5 %.
 */
export const sesReputation = {
  bounceRate: new cloudwatch.Metric({
    namespace: 'AWS/SES',
    metricName: 'Reputation.BounceRate',
    statistic: cloudwatch.Stats.MAXIMUM,
    period: Duration.hours(1),
  }),
  complaintRate: new cloudwatch.Metric({
    namespace: 'AWS/SES',
    metricName: 'Reputation.ComplaintRate',
    statistic: cloudwatch.Stats.MAXIMUM,
    period: Duration.hours(1),
  }),
} as const;

export const SES_REVIEW_THRESHOLDS = { bounceRate: 0.05, complaintRate: 0.001 } as const;

/**
 * A business metric as its EMF records publish it (functions/shared/metrics.ts): the
 * dimensions must be exactly those, and Powertools adds `service`.
 */
export const businessMetric = (
  metricName: BusinessMetric,
  label: string,
  dimensions: Record<string, string> = {},
): cloudwatch.Metric =>
  new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME, ...dimensions },
    label,
    period: FIVE_MINUTES,
    statistic: cloudwatch.Stats.SUM,
  });
