import { describe, expect, it } from 'vitest';
import {
  authorizerHandler,
  eventFunctions,
  routes,
  workflowFunctions,
} from '../../functions/routes.ts';
import { FUNCTION_ACCESS, handlerModules } from '../../infra/function-catalog.ts';
import { synthesizedTemplate } from './support/service-app.ts';
import { functionOf, referencedLogicalId, resourcesOfType } from './support/template-queries.ts';

const template = synthesizedTemplate();
const modules = handlerModules();
const functions = resourcesOfType(template, 'AWS::Lambda::Function');

describe('Lambda functions', () => {
  it('deploys one function per handler module named in functions/routes.ts', () => {
    const named = new Set([
      authorizerHandler,
      ...routes.map((route) => route.handler),
      ...Object.values(workflowFunctions),
      ...Object.values(eventFunctions),
    ]);
    expect(new Set(modules)).toEqual(named);
    expect(functions).toHaveLength(named.size);
    for (const module of named) expect(() => functionOf(template, module)).not.toThrow();
  });

  it('lists the permissions of exactly those modules in FUNCTION_ACCESS', () => {
    expect(Object.keys(FUNCTION_ACCESS).sort()).toEqual([...modules].sort());
  });

  it.each(modules)('%s runs on nodejs24.x, arm64, with active tracing', (module) => {
    const [, fn] = functionOf(template, module);
    expect(fn.Properties.Runtime).toBe('nodejs24.x');
    expect(fn.Properties.Architectures).toEqual(['arm64']);
    expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    expect(fn.Properties.Handler).toBe('index.handler');
  });

  it.each(modules)('%s has the Powertools and service configuration', (module) => {
    const [, fn] = functionOf(template, module);
    const variables = fn.Properties.Environment.Variables;
    expect(variables).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'smart-account-requests',
      LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
      SENDER_EMAIL: 'no-reply@partner-portal.example',
      ACTIVATION_TIMEOUT_SECONDS: '7776000',
    });
    for (const name of [
      'TABLE_NAME',
      'STATE_MACHINE_ARN',
      'SES_CONFIGURATION_SET',
      'PUBLIC_BASE_URL',
    ]) {
      expect(variables[name], name).toBeDefined();
    }
  });

  it('gives the activation secret ARN only to the functions that may read it', () => {
    const withSecret = modules.filter(
      (module) =>
        functionOf(template, module)[1].Properties.Environment.Variables.ACTIVATION_SECRET_ARN,
    );
    expect(withSecret.sort()).toEqual(['api/resend-activation', 'workflow/send-activation']);
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
    expect(withExtension.sort()).toEqual(['api/resend-activation', 'workflow/send-activation']);
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
