import type { Node } from 'constructs';
import { FILTER_INDEXES } from '../functions/adapters/table-keys.ts';
import { parseReminderOffsets } from '../functions/domain/reminders.ts';
import { DEFAULT_RETENTION_DAYS } from '../functions/domain/retention.ts';
import { parseRetrySeconds } from '../functions/domain/webhook-retries.ts';

/**
 * Everything a deployment may choose, read from CDK context (`cdk.json` or `-c key=value`).
 * Every value has a default so `npx cdk synth` works on a fresh clone with no arguments.
 */
export interface DeploymentSettings {
  readonly stackName: string;
  /** API Gateway stage. Not `v1`: the partner API already lives under `/v1`. */
  readonly stageName: string;
  /** SES domain identity; every e-mail is sent from an address in it. */
  readonly senderDomain: string;
  /** `no-reply@example.com` or `Display Name <no-reply@example.com>`, in senderDomain. */
  readonly senderEmail: string;
  /**
   * Base of activation links and the allowed `Origin`; undefined means the API's own URL
   * (`https://<customDomain>` if one is set, else the stage URL).
   */
  readonly publicBaseUrl: string | undefined;
  /** How long the customer has to decide; the workflow's callback timeout. */
  readonly activationTimeoutSeconds: number;
  /** Reminder offsets, seconds before expiry (functions/domain/reminders.ts). */
  readonly activationReminderSeconds: readonly number[];
  /** Delays between webhook delivery attempts (functions/domain/webhook-retries.ts). */
  readonly webhookRetrySeconds: readonly number[];
  /** Days a closed request is kept after it closed (functions/domain/retention.ts). */
  readonly retentionDays: number;
  /**
   * How many of the list's filter indexes to deploy (all 5 by default); raised one deploy at a
   * time on a table from before them, as CloudFormation adds one index per update.
   */
  readonly filterIndexes: number;
  /** Subscribed to the alarm topic when given. */
  readonly alarmEmail: string | undefined;
  /**
   * Serves the API at the root of an own domain (no `/<stage>` prefix) when given, with a
   * regional ACM certificate of the same region.
   */
  readonly customDomain: CustomDomainSettings | undefined;
}

export interface CustomDomainSettings {
  readonly domainName: string;
  readonly certificateArn: string;
}

const FILTER_INDEX_COUNT = Object.keys(FILTER_INDEXES).length;

export const DEFAULT_SETTINGS = {
  stackName: 'SmartAccountRequests',
  stageName: 'prod',
  senderDomain: 'example.com',
  activationTimeoutSeconds: 7_776_000,
} as const;

/** A Standard execution lives at most one year, so the callback cannot wait longer. */
const MAX_ACTIVATION_TIMEOUT_SECONDS = 31_536_000;

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const EMAIL = /^[^\s@<>"(),;:]+@([^\s@<>"(),;:]+)$/;
const WITH_DISPLAY_NAME = /^[^<>\r\n]*<([^<>]+)>$/;
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/;
const STAGE_NAME = /^[A-Za-z0-9_]{1,128}$/;
// Short enough to prefix the state machine's name (at most 80 characters).
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,59}$/;

export class InvalidSettingError extends Error {
  override readonly name = 'InvalidSettingError';
}

/** Reads and validates the settings, so a typo fails `cdk synth` instead of a deployment. */
export const readDeploymentSettings = (node: Node): DeploymentSettings => {
  const text = (key: string): string | undefined => {
    const value: unknown = node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new InvalidSettingError(`Context value ${key} must be a string, got ${typeof value}`);
    }
    return String(value).trim();
  };

  const stackName = text('stackName') ?? DEFAULT_SETTINGS.stackName;
  const stageName = text('stageName') ?? DEFAULT_SETTINGS.stageName;
  const senderDomain = (text('senderDomain') ?? DEFAULT_SETTINGS.senderDomain).toLowerCase();
  const senderEmail = text('senderEmail') ?? `no-reply@${senderDomain}`;
  const publicBaseUrl = text('publicBaseUrl')?.replace(/\/+$/, '');
  const alarmEmail = text('alarmEmail');
  const domainName = text('domainName')?.toLowerCase();
  const certificateArn = text('certificateArn');
  const reminderText = text('activationReminderSeconds');
  const timeoutText = text('activationTimeoutSeconds');
  const activationTimeoutSeconds =
    timeoutText === undefined ? DEFAULT_SETTINGS.activationTimeoutSeconds : Number(timeoutText);

  if (!STACK_NAME.test(stackName)) {
    throw new InvalidSettingError(
      `stackName "${stackName}" must start with a letter and hold at most 60 letters, digits and -`,
    );
  }
  if (!STAGE_NAME.test(stageName)) {
    throw new InvalidSettingError(`stageName "${stageName}" may hold only letters, digits and _`);
  }
  if (!DOMAIN.test(senderDomain)) {
    throw new InvalidSettingError(`senderDomain "${senderDomain}" is not a DNS domain`);
  }
  const senderAddress = WITH_DISPLAY_NAME.exec(senderEmail)?.[1] ?? senderEmail;
  const senderEmailDomain = EMAIL.exec(senderAddress)?.[1]?.toLowerCase();
  if (senderEmailDomain !== senderDomain) {
    throw new InvalidSettingError(
      `senderEmail "${senderEmail}" must be an address in senderDomain "${senderDomain}"`,
    );
  }
  if (alarmEmail !== undefined && !EMAIL.test(alarmEmail)) {
    throw new InvalidSettingError(`alarmEmail "${alarmEmail}" is not an e-mail address`);
  }
  if ((domainName === undefined) !== (certificateArn === undefined)) {
    throw new InvalidSettingError(
      'domainName and certificateArn go together: give both or neither',
    );
  }
  if (domainName !== undefined && !DOMAIN.test(domainName)) {
    throw new InvalidSettingError(`domainName "${domainName}" is not a DNS domain`);
  }
  if (certificateArn !== undefined && !CERTIFICATE_ARN.test(certificateArn)) {
    throw new InvalidSettingError(
      `certificateArn "${certificateArn}" is not an ACM certificate ARN`,
    );
  }
  if (publicBaseUrl !== undefined && !isHttpsUrl(publicBaseUrl)) {
    throw new InvalidSettingError(
      `publicBaseUrl "${publicBaseUrl}" must be an https URL without query or fragment`,
    );
  }
  if (
    !Number.isInteger(activationTimeoutSeconds) ||
    activationTimeoutSeconds < 1 ||
    activationTimeoutSeconds > MAX_ACTIVATION_TIMEOUT_SECONDS
  ) {
    throw new InvalidSettingError(
      `activationTimeoutSeconds must be a whole number from 1 to ${MAX_ACTIVATION_TIMEOUT_SECONDS}`,
    );
  }

  let activationReminderSeconds: readonly number[];
  try {
    activationReminderSeconds = parseReminderOffsets(reminderText);
  } catch (error) {
    throw new InvalidSettingError(
      `activationReminderSeconds "${reminderText}" must be a comma-separated list of positive whole seconds`,
      { cause: error },
    );
  }

  const retentionText = text('retentionDays');
  const retentionDays =
    retentionText === undefined ? DEFAULT_RETENTION_DAYS : Number(retentionText);
  // A closed request must outlive any reminder or webhook retry about it; ten years at most.
  if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 3650) {
    throw new InvalidSettingError('retentionDays must be a whole number of days from 1 to 3650');
  }

  const indexesText = text('filterIndexes');
  const filterIndexes = indexesText === undefined ? FILTER_INDEX_COUNT : Number(indexesText);
  if (!Number.isInteger(filterIndexes) || filterIndexes < 0 || filterIndexes > FILTER_INDEX_COUNT) {
    throw new InvalidSettingError(
      `filterIndexes must be a whole number from 0 to ${FILTER_INDEX_COUNT}`,
    );
  }

  const retryText = text('webhookRetrySeconds');
  let webhookRetrySeconds: readonly number[];
  try {
    webhookRetrySeconds = parseRetrySeconds(retryText);
  } catch (error) {
    throw new InvalidSettingError(
      `webhookRetrySeconds "${retryText}" must be a comma-separated list of positive whole seconds`,
      { cause: error },
    );
  }

  return {
    stackName,
    stageName,
    senderDomain,
    senderEmail,
    publicBaseUrl,
    activationTimeoutSeconds,
    activationReminderSeconds,
    webhookRetrySeconds,
    retentionDays,
    filterIndexes,
    alarmEmail,
    customDomain: domainName && certificateArn ? { domainName, certificateArn } : undefined,
  };
};

const isHttpsUrl = (value: string): boolean => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.search === '' && url.hash === '';
  } catch {
    return false;
  }
};
