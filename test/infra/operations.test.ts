import { describe, expect, it } from 'vitest';
import { catalog, constructIdOf, onlyEntryTriggeredBy } from '../../functions/catalog.ts';
import { synthesizedTemplate } from './support/service-app.ts';
import { functionOf, type Json, resourcesOfType } from './support/template-queries.ts';

const template = synthesizedTemplate({ alarmEmail: 'oncall@partner.example' });
const [topicId, topic] = resourcesOfType(template, 'AWS::SNS::Topic')[0] ?? [];
const alarms = Object.fromEntries(
  resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([, alarm]) => [
    (alarm.Properties.AlarmName as string).replace(/^SmartAccountRequests-/, ''),
    alarm.Properties,
  ]),
);

describe('operations', () => {
  it('alarms on failed and timed-out workflow executions', () => {
    const [stateMachineId] = resourcesOfType(template, 'AWS::StepFunctions::StateMachine')[0] ?? [];
    for (const [name, metric] of [
      ['WorkflowExecutionsFailed', 'ExecutionsFailed'],
      ['WorkflowExecutionsTimedOut', 'ExecutionsTimedOut'],
    ] as const) {
      expect(alarms[name]).toMatchObject({
        Namespace: 'AWS/States',
        MetricName: metric,
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: stateMachineId } }],
      });
    }
  });

  it('alarms on errors of every function except the authorizer, whose errors are rejected keys', () => {
    for (const { module } of catalog) {
      const alarm = alarms[`${constructIdOf(module)}Errors`];
      if (module === onlyEntryTriggeredBy('authorizer').module) {
        expect(alarm).toBeUndefined();
        continue;
      }
      const [functionId] = functionOf(template, module);
      expect(alarm, module).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId } }],
      });
    }
  });

  it('alarms on API 5XX, SES bounce and complaint rates, and dead-lettered feedback', () => {
    expect(alarms.Api5xx).toMatchObject({ Namespace: 'AWS/ApiGateway', MetricName: '5XXError' });
    expect(alarms.SesBounceRate).toMatchObject({
      Namespace: 'AWS/SES',
      MetricName: 'Reputation.BounceRate',
      Threshold: 0.05,
    });
    expect(alarms.SesComplaintRate).toMatchObject({
      MetricName: 'Reputation.ComplaintRate',
      Threshold: 0.001,
    });
    expect(alarms.SesFeedbackDeadLetters).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
    });
    expect(alarms.RetentionDeadLetters).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
    });
  });

  it('alarms when the sweep has to repair a request it repaired before', () => {
    const alarm = alarms.SweepRepeatedRepair;
    expect(alarm).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(alarm?.Metrics?.[0]?.MetricStat).toMatchObject({
      Metric: {
        Namespace: 'SmartAccountRequests',
        MetricName: 'SweepRepeatedRepair',
        Dimensions: [{ Name: 'service', Value: 'smart-account-requests' }],
      },
      Stat: 'Sum',
      Period: 300,
    });
  });

  it('alarms when most webhook attempts fail, from partner-independent metrics', () => {
    const alarm = alarms.WebhookFailureRate;
    expect(alarm).toMatchObject({
      Threshold: 50,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    const metrics = alarm?.Metrics as Json[];
    const expression = metrics.find((metric) => metric.Expression)?.Expression as string;
    expect(expression).toContain('>= 20');
    expect(expression).toContain('100 * (retried + failed) / (ok + retried + failed)');
    const counted = metrics
      .filter((metric) => metric.MetricStat)
      .map((metric) => [metric.MetricStat.Metric.MetricName, metric.MetricStat.Metric.Dimensions]);
    expect(counted.map(([name]) => name).sort()).toEqual([
      'WebhookDelivered',
      'WebhookFailed',
      'WebhookRetried',
    ]);
    // No partner or endpoint dimension: only the service.
    for (const [, dimensions] of counted) {
      expect(dimensions).toEqual([{ Name: 'service', Value: 'smart-account-requests' }]);
    }
  });

  it('sends every alarm and its recovery to the encrypted alarm topic', () => {
    for (const [name, alarm] of Object.entries(alarms)) {
      expect(alarm.AlarmActions, name).toEqual([{ Ref: topicId }]);
      expect(alarm.OKActions, name).toEqual([{ Ref: topicId }]);
      expect(alarm.TreatMissingData, name).toBe('notBreaching');
      expect(alarm.AlarmDescription, name).toEqual(expect.any(String));
    }
    expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    const [, key] = resourcesOfType(template, 'AWS::KMS::Key')[0] ?? [];
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const cloudWatchMayUseKey = key.Properties.KeyPolicy.Statement.some(
      (statement: Json) => statement.Principal?.Service === 'cloudwatch.amazonaws.com',
    );
    expect(cloudWatchMayUseKey).toBe(true);
  });

  it('subscribes alarmEmail to the topic only when it is given', () => {
    const [, subscription] = resourcesOfType(template, 'AWS::SNS::Subscription')[0] ?? [];
    expect(subscription.Properties).toMatchObject({
      Protocol: 'email',
      Endpoint: 'oncall@partner.example',
      TopicArn: { Ref: topicId },
    });
    const withoutEmail = synthesizedTemplate();
    expect(resourcesOfType(withoutEmail, 'AWS::SNS::Subscription')).toEqual([]);
  });

  it('has a dashboard showing every alarm', () => {
    const [, dashboard] = resourcesOfType(template, 'AWS::CloudWatch::Dashboard')[0] ?? [];
    expect(dashboard.Properties.DashboardName).toBe('SmartAccountRequests');
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    const alarmIds = resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([id]) => id);
    expect(alarmIds).toHaveLength(Object.keys(alarms).length);
    for (const alarmId of alarmIds) expect(body).toContain(`"Fn::GetAtt":["${alarmId}","Arn"]`);
  });

  it('outputs the API URL, activation base URL, table name and state machine ARN', () => {
    const outputs = template.toJSON().Outputs;
    for (const name of ['ApiUrl', 'ActivationBaseUrl', 'TableName', 'StateMachineArn']) {
      expect(outputs[name], name).toBeDefined();
    }
    const [tableId] = resourcesOfType(template, 'AWS::DynamoDB::Table')[0] ?? [];
    expect(outputs.TableName.Value).toEqual({ Ref: tableId });
  });
});

interface Widget {
  readonly type: string;
  readonly properties: { readonly title?: string; readonly metrics?: Json[][] };
}

/**
 * The dashboard body as CloudWatch reads it: the template joins JSON text around tokens
 * (region, alarm ARNs), which all stand inside JSON strings.
 */
const dashboardWidgets = (): Widget[] => {
  const [, dashboard] = resourcesOfType(template, 'AWS::CloudWatch::Dashboard')[0] ?? [];
  const body = dashboard.Properties.DashboardBody;
  const text = body['Fn::Join']
    ? (body['Fn::Join'][1] as Json[])
        .map((part) => (typeof part === 'string' ? part : 'TOKEN'))
        .join('')
    : body;
  return JSON.parse(text).widgets;
};

/** The graph titled `title`, its metrics as [namespace, name, dimension, value, …]. */
const graphMetrics = (title: string): Json[][] => {
  const widget = dashboardWidgets().find((candidate) => candidate.properties.title === title);
  expect(widget, title).toBeDefined();
  return widget?.properties.metrics ?? [];
};

const SERVICE = ['service', 'smart-account-requests'];

describe('the dashboard graphs the business metrics the handlers record', () => {
  it('requests created, activation e-mails and reminders sent, and idempotent replays', () => {
    expect(graphMetrics('Requests and activation e-mails')).toEqual([
      [
        'SmartAccountRequests',
        'RequestCreated',
        ...SERVICE,
        expect.objectContaining({ stat: 'Sum' }),
      ],
      [
        'SmartAccountRequests',
        'ActivationEmailSent',
        ...SERVICE,
        expect.objectContaining({ stat: 'Sum' }),
      ],
      [
        'SmartAccountRequests',
        'ReminderSent',
        ...SERVICE,
        expect.objectContaining({ stat: 'Sum' }),
      ],
      [
        'SmartAccountRequests',
        'IdempotentReplay',
        ...SERVICE,
        expect.objectContaining({ stat: 'Sum' }),
      ],
    ]);
  });

  it('webhook deliveries: delivered, retrying and failed for good', () => {
    expect(graphMetrics('Webhook deliveries').map((metric) => metric[1])).toEqual([
      'WebhookDelivered',
      'WebhookRetried',
      'WebhookFailed',
    ]);
  });

  it('the sweep: repairs, and repairs of requests repaired before', () => {
    expect(graphMetrics('Sweep repairs')).toEqual([
      [
        'SmartAccountRequests',
        'SweepRepaired',
        ...SERVICE,
        expect.objectContaining({ stat: 'Sum' }),
      ],
      [
        'SmartAccountRequests',
        'SweepRepeatedRepair',
        ...SERVICE,
        expect.objectContaining({ stat: 'Sum' }),
      ],
    ]);
  });

  it('settled requests, one line per outcome, by the status dimension', () => {
    const lines = graphMetrics('Requests settled, by outcome');
    const statuses = lines.map((line) => {
      expect(line.slice(0, 4)).toEqual(['SmartAccountRequests', 'RequestSettled', ...SERVICE]);
      expect(line[4]).toBe('status');
      return line[5];
    });
    expect(statuses).toEqual(['ACTIVE', 'DECLINED', 'CANCELLED', 'EXPIRED', 'FAILED']);
  });
});
