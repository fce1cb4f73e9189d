import { describe, expect, it } from 'vitest';
import { catalog, entryOf, SETTINGS_OF_USE, settingsOf } from '../../functions/catalog.ts';
import { DEFAULT_LOCK_POLICY } from '../../functions/domain/domain-lock.ts';
import { synthesizedTemplate } from './support/service-app.ts';
import { functionOf, referencedLogicalId, resourcesOfType } from './support/template-queries.ts';

const template = synthesizedTemplate();
const modules = catalog.map((entry) => entry.module);
const functions = resourcesOfType(template, 'AWS::Lambda::Function');

/**
 * Every function: Powertools' service name, source-mapped stack traces. The log level is no
 * variable of ours: it is the function's application log level (LoggingConfig), which Lambda
 * hands the logger as AWS_LAMBDA_LOG_LEVEL.
 */
const SERVICE_WIDE = ['NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME'];
/** What the Parameters and Secrets extension's layer sets for itself. */
const isExtensionSetting = (name: string): boolean =>
  /^(PARAMETERS_SECRETS_EXTENSION|SECRETS_MANAGER|SSM_PARAMETER_STORE)_/.test(name);
const allSettings = new Set<string>(Object.values(SETTINGS_OF_USE).flat());

const variablesOf = (module: string): Record<string, unknown> =>
  functionOf(template, module)[1].Properties.Environment.Variables;

describe('Lambda functions', () => {
  it('deploys one function per catalog entry', () => {
    expect(new Set(modules).size).toBe(catalog.length);
    expect(functions).toHaveLength(catalog.length);
    for (const module of modules) expect(() => functionOf(template, module)).not.toThrow();
  });

  it.each(modules)('%s runs on nodejs24.x, arm64, with active tracing', (module) => {
    const [, fn] = functionOf(template, module);
    expect(fn.Properties.Runtime).toBe('nodejs24.x');
    expect(fn.Properties.Architectures).toEqual(['arm64']);
    expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    expect(fn.Properties.Handler).toBe('index.handler');
  });

  it.each(modules)(
    '%s has the service-wide settings and only the settings its uses imply',
    (module) => {
      const variables = variablesOf(module);
      expect(variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'smart-account-requests',
        NODE_OPTIONS: '--enable-source-maps',
      });
      expect(functionOf(template, module)[1].Properties.LoggingConfig).toMatchObject({
        LogFormat: 'JSON',
        ApplicationLogLevel: 'INFO',
      });
      const settings = Object.keys(variables).filter(
        (name) => !SERVICE_WIDE.includes(name) && !isExtensionSetting(name),
      );
      expect(settings.sort()).toEqual(settingsOf(entryOf(module).uses).sort());
      for (const name of settings) expect(allSettings.has(name), name).toBe(true);
    },
  );

  it('gives API handlers 10 s, a batch of 100 creates 28 s (under API Gateway 29 s), the rest 30 s', () => {
    const timeouts = Object.fromEntries(
      modules.map((module) => [module, functionOf(template, module)[1].Properties.Timeout]),
    );
    expect(timeouts['api/create-request']).toBe(10);
    expect(timeouts['api/create-batch']).toBe(28);
    expect(timeouts['workflow/settle-request']).toBe(30);
    // A create that outlived the domain lock's orphan age could write a request after another
    // create took its lock over (functions/domain/domain-lock.ts).
    expect(timeouts['api/create-batch']).toBeLessThan(DEFAULT_LOCK_POLICY.orphanLockAfterSeconds);
  });

  it('gives the deployment settings their values', () => {
    const [tableId] = resourcesOfType(template, 'AWS::DynamoDB::Table')[0] ?? [];
    const [stateMachineId] = resourcesOfType(template, 'AWS::StepFunctions::StateMachine')[0] ?? [];
    const [configurationSetId] = resourcesOfType(template, 'AWS::SES::ConfigurationSet')[0] ?? [];
    expect(variablesOf('api/create-request')).toMatchObject({
      TABLE_NAME: { Ref: tableId },
      STATE_MACHINE_ARN: { Ref: stateMachineId },
      ACTIVATION_TIMEOUT_SECONDS: '7776000',
    });
    expect(variablesOf('workflow/settle-request')).toMatchObject({
      SENDER_EMAIL: 'no-reply@partner-portal.example',
      SES_CONFIGURATION_SET: { Ref: configurationSetId },
    });
  });

  it('gives no function a setting it does not use', () => {
    // The console, health and OpenAPI functions read no setting at all.
    for (const module of ['console/serve-console', 'api/health', 'api/openapi']) {
      expect(Object.keys(variablesOf(module)).sort(), module).toEqual(SERVICE_WIDE);
    }
    // The functions the state machine invokes cannot refer to it (a dependency cycle).
    for (const module of ['workflow/wake', 'workflow/send-activation', 'workflow/close-request']) {
      expect(variablesOf(module), module).not.toHaveProperty('STATE_MACHINE_ARN');
    }
  });

  it('gives the activation secret ARN only to the functions that may read it', () => {
    const withSecret = modules.filter(
      (module) =>
        functionOf(template, module)[1].Properties.Environment.Variables.ACTIVATION_SECRET_ARN,
    );
    expect(withSecret.sort()).toEqual([
      'api/correct-request',
      'api/resend-activation',
      'workflow/send-activation',
      'workflow/wake',
    ]);
    const [secretId] = resourcesOfType(template, 'AWS::SecretsManager::Secret')[0] ?? [];
    for (const module of withSecret) {
      const variables = functionOf(template, module)[1].Properties.Environment.Variables;
      expect(referencedLogicalId(variables.ACTIVATION_SECRET_ARN)).toBe(secretId);
    }
  });

  it('adds the Parameters and Secrets extension only where the secret is read', () => {
    const withExtension = modules.filter((module) => {
      const layers: unknown[] = functionOf(template, module)[1].Properties.Layers ?? [];
      // The layer ARN is region-specific, so it comes from the synthesized mapping by region.
      return JSON.stringify(layers).includes('Paramsandsecretslayer');
    });
    expect(withExtension.sort()).toEqual([
      'api/correct-request',
      'api/resend-activation',
      'workflow/send-activation',
      'workflow/wake',
    ]);
  });

  it.each(modules)('%s logs as JSON to its own log group, kept six months', (module) => {
    const [, fn] = functionOf(template, module);
    const logGroupId = referencedLogicalId(fn.Properties.LoggingConfig.LogGroup);
    expect(fn.Properties.LoggingConfig).toMatchObject({
      LogFormat: 'JSON',
      ApplicationLogLevel: 'INFO',
    });
    const logGroup = template.toJSON().Resources[logGroupId as string];
    expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup.Properties.RetentionInDays).toBe(180);
  });

  it('uses one log group and one role per function', () => {
    const logGroups = functions.map(([, fn]) =>
      referencedLogicalId(fn.Properties.LoggingConfig.LogGroup),
    );
    const roles = functions.map(([, fn]) => referencedLogicalId(fn.Properties.Role));
    expect(new Set(logGroups).size).toBe(functions.length);
    expect(new Set(roles).size).toBe(functions.length);
  });

  it('generates a long random activation secret that outlives the stack', () => {
    const [, secret] = resourcesOfType(template, 'AWS::SecretsManager::Secret')[0] ?? [];
    expect(secret.Properties.GenerateSecretString).toMatchObject({
      PasswordLength: 64,
      ExcludePunctuation: true,
    });
    expect(secret.DeletionPolicy).toBe('Retain');
  });
});
