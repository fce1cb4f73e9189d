import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import {
  BusinessMetric,
  SETTLED_STATUS_DIMENSION,
  settledStatuses,
} from '../../functions/shared/business-metrics.ts';
import {
  businessMetric,
  FIVE_MINUTES,
  type MonitoredResources,
  sesReputation,
} from './monitored-resources.ts';

export interface ServiceDashboardProps extends MonitoredResources {
  readonly dashboardName: string;
  readonly alarms: readonly cloudwatch.IAlarm[];
}

/**
 * One page for on-call: alarm states first, then what the service did (the business metrics
 * the handlers record, functions/shared/metrics.ts), then API, workflow, functions and mail.
 */
export class ServiceDashboard extends Construct {
  constructor(scope: Construct, id: string, props: ServiceDashboardProps) {
    super(scope, id);

    const sum = { period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM };
    const p99 = { period: FIVE_MINUTES, statistic: cloudwatch.Stats.p(99) };
    const perFunction = (
      metricOf: (fn: lambda.IFunction, label: string) => cloudwatch.IMetric,
    ): cloudwatch.IMetric[] =>
      props.functions.map(({ module, function: fn }) => metricOf(fn, module));
    const labelled = (metric: cloudwatch.Metric, label: string): cloudwatch.Metric =>
      metric.with({ label });
    const business = businessMetric;

    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
    });

    dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24 }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Requests and activation e-mails',
        width: 12,
        left: [
          business(BusinessMetric.REQUEST_CREATED, 'created'),
          business(BusinessMetric.ACTIVATION_EMAIL_SENT, 'activation e-mails sent'),
          business(BusinessMetric.REMINDER_SENT, 'reminders sent'),
          business(BusinessMetric.IDEMPOTENT_REPLAY, 'idempotent replays'),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Requests settled, by outcome',
        width: 12,
        stacked: true,
        left: settledStatuses.map((status) =>
          business(BusinessMetric.REQUEST_SETTLED, status, {
            [SETTLED_STATUS_DIMENSION]: status,
          }),
        ),
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Sweep repairs',
        width: 24,
        left: [
          business(BusinessMetric.SWEEP_REPAIRED, 'repaired (re-signalled or restarted)'),
          business(BusinessMetric.SWEEP_REPEATED_REPAIR, 'repaired again (alarm)'),
        ],
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Webhook deliveries',
        width: 24,
        stacked: true,
        left: [
          business(BusinessMetric.WEBHOOK_DELIVERED, 'delivered (2xx)'),
          business(BusinessMetric.WEBHOOK_RETRIED, 'attempt failed, retrying'),
          business(BusinessMetric.WEBHOOK_FAILED, 'failed for good'),
        ],
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'API requests',
        width: 12,
        left: [
          labelled(props.stage.metricCount(sum), 'requests'),
          labelled(props.stage.metricClientError(sum), '4XX'),
          labelled(props.stage.metricServerError(sum), '5XX'),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'API latency (p99, ms)',
        width: 12,
        left: [
          labelled(props.stage.metricLatency(p99), 'total'),
          labelled(props.stage.metricIntegrationLatency(p99), 'integration'),
        ],
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Workflow executions',
        width: 12,
        left: [
          labelled(props.stateMachine.metricStarted(sum), 'started'),
          labelled(props.stateMachine.metricSucceeded(sum), 'succeeded'),
          labelled(props.stateMachine.metricFailed(sum), 'failed'),
          labelled(props.stateMachine.metricTimedOut(sum), 'timed out'),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Mail reputation (account)',
        width: 12,
        left: [
          labelled(sesReputation.bounceRate, 'bounce rate'),
          labelled(sesReputation.complaintRate, 'complaint rate'),
        ],
        right: [
          labelled(
            props.feedbackDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
              period: FIVE_MINUTES,
            }),
            'feedback dead letters',
          ),
        ],
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Function errors',
        width: 8,
        left: perFunction((fn, label) => fn.metricErrors({ ...sum, label })),
      }),
      new cloudwatch.GraphWidget({
        title: 'Function duration (p99, ms)',
        width: 8,
        left: perFunction((fn, label) => fn.metricDuration({ ...p99, label })),
      }),
      new cloudwatch.GraphWidget({
        title: 'Function throttles',
        width: 8,
        left: perFunction((fn, label) => fn.metricThrottles({ ...sum, label })),
      }),
    );
  }
}
