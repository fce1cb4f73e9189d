import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { entriesTriggeredBy } from '../../functions/catalog.ts';
import { stubbedServiceApp, synthesizedTemplate } from './support/service-app.ts';
import { functionOf, type Json, renderJoin, resourcesOfType } from './support/template-queries.ts';

const template = synthesizedTemplate({ senderDomain: 'mail.partner.example' });
const [configurationSetId, configurationSet] =
  resourcesOfType(template, 'AWS::SES::ConfigurationSet')[0] ?? [];
const [, identity] = resourcesOfType(template, 'AWS::SES::EmailIdentity')[0] ?? [];
const [, destination] =
  resourcesOfType(template, 'AWS::SES::ConfigurationSetEventDestination')[0] ?? [];
const [, rule] = resourcesOfType(template, 'AWS::Events::Rule')[0] ?? [];
const [queueId] = resourcesOfType(template, 'AWS::SQS::Queue')[0] ?? [];
const feedbackModule = entriesTriggeredBy('event').find(
  (entry) => entry.trigger.source === 'sesFeedback',
)?.module as string;

describe('mail (SES)', () => {
  it('verifies the sender domain with DKIM and sends through the configuration set', () => {
    expect(identity.Properties.EmailIdentity).toBe('mail.partner.example');
    expect(identity.Properties.DkimAttributes).toEqual({ SigningEnabled: true });
    expect(identity.Properties.ConfigurationSetAttributes).toEqual({
      ConfigurationSetName: { Ref: configurationSetId },
    });
    const [, settle] = functionOf(template, 'workflow/settle-request');
    expect(settle.Properties.Environment.Variables).toMatchObject({
      SENDER_EMAIL: 'no-reply@mail.partner.example',
      SES_CONFIGURATION_SET: { Ref: configurationSetId },
    });
  });

  it('never tracks opens or clicks, which would rewrite the activation link', () => {
    expect(configurationSet.Properties.VdmOptions).toEqual({
      DashboardOptions: { EngagementMetrics: 'DISABLED' },
    });
    const eventTypes: string[] = destination.Properties.EventDestination.MatchingEventTypes;
    expect(eventTypes.map((type) => type.toUpperCase()).sort()).toEqual(['BOUNCE', 'COMPLAINT']);
    expect(configurationSet.Properties.TrackingOptions).toBeUndefined();
  });

  it('requires TLS and keeps reputation metrics for the bounce-rate alarm', () => {
    expect(configurationSet.Properties.DeliveryOptions).toMatchObject({ TlsPolicy: 'REQUIRE' });
    expect(configurationSet.Properties.ReputationOptions).toEqual({
      ReputationMetricsEnabled: true,
    });
  });

  it('publishes bounces and complaints to the default event bus', () => {
    expect(destination.Properties.ConfigurationSetName).toEqual({ Ref: configurationSetId });
    expect(
      renderJoin(destination.Properties.EventDestination.EventBridgeDestination.EventBusArn),
    ).toBe('arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:event-bus/default');
  });

  it("routes this configuration set's bounces and complaints to ses-feedback", () => {
    expect(rule.Properties.EventPattern).toEqual({
      source: ['aws.ses'],
      'detail-type': ['Email Bounced', 'Email Complaint Received'],
      detail: { mail: { tags: { 'ses:configuration-set': [{ Ref: configurationSetId }] } } },
    });
    const [functionId] = functionOf(template, feedbackModule);
    const [target] = rule.Properties.Targets as Json[];
    expect(target.Arn).toEqual({ 'Fn::GetAtt': [functionId, 'Arn'] });
    expect(target.DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
  });

  it('keeps feedback events that failed processing in a dead-letter queue', () => {
    const [functionId] = functionOf(template, feedbackModule);
    const [, invokeConfig] = resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig')[0] ?? [];
    expect(invokeConfig.Properties.FunctionName).toEqual({ Ref: functionId });
    expect(invokeConfig.Properties.DestinationConfig.OnFailure.Destination).toEqual({
      'Fn::GetAtt': [queueId, 'Arn'],
    });
  });

  it('warns at synth time while the sender domain is the placeholder example.com', () => {
    const placeholder = stubbedServiceApp({ senderDomain: undefined });
    Annotations.fromStack(placeholder.stack).hasWarning(
      '*',
      Match.stringLikeRegexp('senderDomain is the placeholder example.com'),
    );
    const configured = stubbedServiceApp();
    Annotations.fromStack(configured.stack).hasNoWarning('*', Match.anyValue());
  });
});
