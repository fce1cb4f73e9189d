import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS,
  InvalidSettingError,
  readDeploymentSettings,
} from '../../infra/deployment-settings.ts';

const settingsFrom = (context: Record<string, unknown>) =>
  readDeploymentSettings(new App({ context }).node);

describe('deployment settings (CDK context)', () => {
  it('has a default for everything, so `cdk synth` needs no arguments', () => {
    expect(settingsFrom({})).toEqual({
      stackName: 'SmartAccountRequests',
      stageName: 'prod',
      senderDomain: 'example.com',
      senderEmail: 'no-reply@example.com',
      publicBaseUrl: undefined,
      activationTimeoutSeconds: 7_776_000,
      activationReminderSeconds: [5_184_000, 2_592_000, 604_800],
      webhookRetrySeconds: [5, 300, 1800, 7200, 18000, 36000, 36000],
      retentionDays: 400,
      filterIndexes: 5,
      alarmEmail: undefined,
      customDomain: undefined,
    });
    expect(DEFAULT_SETTINGS.activationTimeoutSeconds).toBe(90 * 24 * 60 * 60);
  });

  it('reads `-c key=value` strings, including the timeout as a number', () => {
    const settings = settingsFrom({
      stackName: 'SarStaging',
      stageName: 'staging',
      senderDomain: 'Mail.Partner-Portal.example',
      senderEmail: 'Smart Accounts <accounts@mail.partner-portal.example>',
      publicBaseUrl: 'https://accounts.partner-portal.example/',
      activationTimeoutSeconds: '600',
      activationReminderSeconds: '120,300',
      webhookRetrySeconds: '1,60',
      retentionDays: '30',
      filterIndexes: '2',
      alarmEmail: 'oncall@partner-portal.example',
      domainName: 'Accounts.Partner-Portal.example',
      certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb',
    });
    expect(settings).toEqual({
      stackName: 'SarStaging',
      stageName: 'staging',
      senderDomain: 'mail.partner-portal.example',
      senderEmail: 'Smart Accounts <accounts@mail.partner-portal.example>',
      publicBaseUrl: 'https://accounts.partner-portal.example',
      activationTimeoutSeconds: 600,
      activationReminderSeconds: [300, 120],
      webhookRetrySeconds: [1, 60],
      retentionDays: 30,
      filterIndexes: 2,
      alarmEmail: 'oncall@partner-portal.example',
      customDomain: {
        domainName: 'accounts.partner-portal.example',
        certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb',
      },
    });
  });

  it('derives the sender address from the sender domain', () => {
    expect(settingsFrom({ senderDomain: 'acme.example' }).senderEmail).toBe(
      'no-reply@acme.example',
    );
  });

  it.each([
    [{ activationTimeoutSeconds: '90d' }, /activationTimeoutSeconds/],
    [{ activationTimeoutSeconds: 0 }, /activationTimeoutSeconds/],
    [{ activationReminderSeconds: '7d' }, /activationReminderSeconds/],
    [{ webhookRetrySeconds: '5,0' }, /webhookRetrySeconds/],
    [{ retentionDays: '0' }, /retentionDays/],
    [{ retentionDays: '1.5' }, /retentionDays/],
    [{ retentionDays: '3651' }, /retentionDays/],
    [{ filterIndexes: '6' }, /filterIndexes/],
    [{ filterIndexes: '-1' }, /filterIndexes/],
    [{ activationReminderSeconds: '600,-1' }, /activationReminderSeconds/],
    [{ activationTimeoutSeconds: 31_536_001 }, /activationTimeoutSeconds/],
    [{ senderDomain: 'not a domain' }, /senderDomain/],
    [{ senderDomain: 'acme.example', senderEmail: 'x@other.example' }, /senderEmail/],
    [{ publicBaseUrl: 'http://insecure.example' }, /publicBaseUrl/],
    [{ publicBaseUrl: 'https://x.example/?q=1' }, /publicBaseUrl/],
    [{ alarmEmail: 'nobody' }, /alarmEmail/],
    [{ stageName: 'v1/x' }, /stageName/],
    [{ stackName: '1-starts-with-digit' }, /stackName/],
    [{ senderDomain: { nested: true } }, /senderDomain/],
    [{ domainName: 'accounts.partner.example' }, /give both or neither/],
    [{ domainName: 'x.example', certificateArn: 'arn:aws:iam::1:role/x' }, /certificateArn/],
  ])('rejects %o at synth time', (context, message) => {
    expect(() => settingsFrom(context)).toThrowError(InvalidSettingError);
    expect(() => settingsFrom(context)).toThrowError(message);
  });
});
