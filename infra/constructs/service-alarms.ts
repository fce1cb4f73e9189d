import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { constructIdOf } from '../../functions/catalog.ts';
import { BusinessMetric } from '../../functions/shared/business-metrics.ts';
import {
  businessMetric,
  FIVE_MINUTES,
  type MonitoredResources,
  SES_REVIEW_THRESHOLDS,
  sesReputation,
} from './monitored-resources.ts';

export interface ServiceAlarmsProps extends MonitoredResources {
  readonly alarmNamePrefix: string;
  readonly topic: sns.ITopic;
}

/**
 * Alarms that each mean "someone should look". Business endings (expired, declined,
 * cancelled) are Succeed states in the ASL, so failed or timed-out executions are real
 * problems. Every alarm notifies on ALARM and on OK.
 */
export class ServiceAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);

    const alarm = (
      alarmId: string,
      metric: cloudwatch.IMetric,
      threshold: number,
      description: string,
      comparisonOperator = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    ): void => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        alarmName: `${props.alarmNamePrefix}-${alarmId}`,
        alarmDescription: description,
        metric,
        threshold,
        comparisonOperator,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(new actions.SnsAction(props.topic));
      created.addOkAction(new actions.SnsAction(props.topic));
      this.alarms.push(created);
    };

    const sum = { period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM };

    alarm(
      'WorkflowExecutionsFailed',
      props.stateMachine.metricFailed(sum),
      1,
      'A request workflow execution failed. Error RequestFailed: the activation e-mail could not be ' +
        'delivered (the partner was told; check bounces). Any other error is a defect: open the ' +
        'execution (name = request id) in the Step Functions console.',
    );
    alarm(
      'WorkflowExecutionsTimedOut',
      props.stateMachine.metricTimedOut(sum),
      1,
      'A request workflow execution timed out as a whole. Expiry is handled inside the workflow, ' +
        'so this means the definition or its timeouts are wrong.',
    );
    alarm(
      'Api5xx',
      props.stage.metricServerError(sum),
      1,
      'The API answered 5XX. errorId err_… -> Logs Insights on the function log groups; a UUID ' +
        'errorId -> the API access log (requestId), e.g. authorizer or integration failures.',
    );

    for (const { module, function: fn } of props.functions) {
      if (module === props.authorizerModule) continue;
      alarm(
        `${constructIdOf(module)}Errors`,
        fn.metricErrors(sum),
        1,
        `functions/${module}.ts failed (unhandled error, timeout or crash): see its log group.`,
      );
    }

    alarm(
      'SweepRepeatedRepair',
      businessMetric(BusinessMetric.SWEEP_REPEATED_REPAIR, 'repeated repairs'),
      1,
      'The sweep had to repair a request it had repaired before (re-signal a stored decision or ' +
        'start another execution): something keeps failing for it. Its log line names the ' +
        'request ids; check its executions (<id>, <id>-2, ...) and the workflow functions.',
    );
    // Webhook attempts that did not get a 2xx, of all attempts: one partner's endpoint being
    // down is that partner's matter (its deliveries retry), but most attempts failing means
    // our side is broken (egress, DNS, signing). Only with enough attempts to mean something.
    const attempts = (metric: BusinessMetric, label: string) =>
      businessMetric(metric, label).with({ period: Duration.minutes(15) });
    alarm(
      'WebhookFailureRate',
      new cloudwatch.MathExpression({
        expression:
          'IF(ok + retried + failed >= 20, 100 * (retried + failed) / (ok + retried + failed), 0)',
        usingMetrics: {
          ok: attempts(BusinessMetric.WEBHOOK_DELIVERED, 'delivered'),
          retried: attempts(BusinessMetric.WEBHOOK_RETRIED, 'retried'),
          failed: attempts(BusinessMetric.WEBHOOK_FAILED, 'failed'),
        },
        label: 'webhook attempts without a 2xx (%)',
        period: Duration.minutes(15),
      }),
      50,
      'Half or more of the webhook attempts in 15 minutes (at least 20) got no 2xx. If many ' +
        "partners' endpoints fail at once, suspect our side: the delivery function's logs, its " +
        'network egress and DNS. Deliveries retry for about 27 h, so nothing is lost yet.',
    );
    alarm(
      'SesBounceRate',
      sesReputation.bounceRate,
      SES_REVIEW_THRESHOLDS.bounceRate,
      'SES account bounce rate reached 5 % (SES reviews the account; at 10 % it may pause sending). ' +
        'Check which partners submit undeliverable customer addresses.',
    );
    alarm(
      'SesComplaintRate',
      sesReputation.complaintRate,
      SES_REVIEW_THRESHOLDS.complaintRate,
      'SES account complaint rate reached 0.1 %: customers mark activation mails as spam.',
    );
    alarm(
      'SesFeedbackDeadLetters',
      props.feedbackDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: FIVE_MINUTES,
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      1,
      'A bounce/complaint event could not be processed: its request may wait for a customer who ' +
        'never got the mail. Inspect the message, fix, and redrive the dead-letter queue.',
    );
    alarm(
      'RetentionDeadLetters',
      props.retentionDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: FIVE_MINUTES,
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      1,
      'A request DynamoDB deleted at the end of its retention left its timeline, domain lock or ' +
        'count behind: the message names its stream record. Fix, then run its deletion again.',
    );
  }
}
