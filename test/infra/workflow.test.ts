import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import aslValidator from 'asl-validator';
import { Template } from 'aws-cdk-lib/assertions';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { entriesTriggeredBy } from '../../functions/catalog.ts';
import { WORKFLOW_DEFINITION_FILE } from '../../infra/constructs/request-workflow.ts';
import { stubbedServiceApp } from './support/service-app.ts';
import { functionOf, type Json, renderJoin, resourcesOfType } from './support/template-queries.ts';

const aslText = readFileSync(WORKFLOW_DEFINITION_FILE, 'utf8');
const taskEntries = entriesTriggeredBy('workflowTask');
const placeholdersIn = (text: string): string[] =>
  [
    ...new Set([...text.matchAll(/\$\{([A-Za-z0-9]+)\}/g)].map((match) => match[1] as string)),
  ].sort();

/** What CloudFormation does with DefinitionSubstitutions: plain `${Key}` replacement. */
const substitute = (text: string, values: Record<string, string>): string =>
  text.replace(/\$\{([A-Za-z0-9]+)\}/g, (placeholder, key: string) => values[key] ?? placeholder);

/** Synthesizes the app and returns the state machine as deployed: its text and substitutions. */
const deployedWorkflow = (context: Record<string, unknown> = {}) => {
  const { app, stack } = stubbedServiceApp(context);
  const assembly = app.synth();
  const template = Template.fromStack(stack);
  const [, stateMachine] = resourcesOfType(template, 'AWS::StepFunctions::StateMachine')[0] ?? [];
  const key: string = stateMachine.Properties.DefinitionS3Location.Key;
  const definitionText = readFileSync(join(assembly.directory, `asset.${key}`), 'utf8');
  const substitutions: Record<string, string> = Object.fromEntries(
    Object.entries(stateMachine.Properties.DefinitionSubstitutions as Record<string, Json>).map(
      ([name, value]) => [name, renderJoin(value)],
    ),
  );
  return { template, stateMachine, definitionText, substitutions };
};

const deployed = deployedWorkflow();

/**
 * Runs the Configure state on aws-local-stepfunctions and reads what WaitForActivation's
 * TimeoutSecondsPath points at in its output, which is the callback task's input.
 */
const configuredTimeout = async (definition: Json): Promise<unknown> => {
  const { Next, ...configure } = definition.States.Configure;
  expect(Next).toBe('WaitForActivation');
  const configureOnly: StateMachineDefinition = {
    StartAt: 'Configure',
    States: { Configure: { ...configure, End: true } },
  };
  const output = (await new StateMachine(configureOnly).run({ requestId: 'sar_test' })
    .result) as Json;
  const timeoutPath: string = definition.States.WaitForActivation.TimeoutSecondsPath;
  expect(timeoutPath).toMatch(/^\$(\.[A-Za-z0-9_]+)+$/);
  return timeoutPath
    .slice(2)
    .split('.')
    .reduce<Json>((value, key) => value?.[key], output);
};

describe('the workflow definition', () => {
  it('is valid Amazon States Language (asl-validator)', () => {
    const raw = aslValidator(JSON.parse(aslText));
    expect(raw.errorsText('\n')).toBe('');
    expect(raw.isValid).toBe(true);

    const substituted = aslValidator(JSON.parse(substitute(aslText, deployed.substitutions)));
    expect(substituted.errorsText('\n')).toBe('');
  });

  it('is deployed from the very file the local stack runs', () => {
    expect(deployed.definitionText).toBe(aslText);
  });

  it('has a substitution for every placeholder of the file, and no other', () => {
    expect(Object.keys(deployed.substitutions).sort()).toEqual(placeholdersIn(aslText));
    expect(placeholdersIn(aslText)).toEqual(
      [
        'ActivationTimeoutSeconds',
        ...taskEntries.map((entry) => entry.trigger.substitution),
      ].sort(),
    );
  });

  it('deploys the substituted file: timeout and the three function ARNs', () => {
    const expected = substitute(aslText, {
      ActivationTimeoutSeconds: '7776000',
      ...Object.fromEntries(
        taskEntries.map(({ trigger: { substitution }, module }) => [
          substitution,
          `<${functionOf(deployed.template, module)[0]}.Arn>`,
        ]),
      ),
    });
    const deployedDefinition = JSON.parse(
      substitute(deployed.definitionText, deployed.substitutions),
    );
    expect(deployedDefinition).toEqual(JSON.parse(expected));
    expect(JSON.stringify(deployedDefinition)).not.toContain('${');
  });

  it('lets 7,776,000 seconds reach the callback task as a number', async () => {
    const definition = JSON.parse(substitute(deployed.definitionText, deployed.substitutions));
    expect(JSON.stringify(definition.States.Configure)).toContain("States.StringToJson('7776000')");
    expect(definition.States.WaitForActivation.TimeoutSeconds).toBeUndefined();
    expect(definition.States.WaitForActivation.Resource).toBe(
      'arn:aws:states:::lambda:invoke.waitForTaskToken',
    );
    await expect(configuredTimeout(definition)).resolves.toBe(7_776_000);
  });

  it('takes the timeout from the activationTimeoutSeconds context value', async () => {
    const shortened = deployedWorkflow({ activationTimeoutSeconds: '600' });
    expect(shortened.substitutions.ActivationTimeoutSeconds).toBe('600');
    const definition = JSON.parse(substitute(shortened.definitionText, shortened.substitutions));
    await expect(configuredTimeout(definition)).resolves.toBe(600);
    const [, create] = functionOf(shortened.template, 'api/create-request');
    expect(create.Properties.Environment.Variables.ACTIVATION_TIMEOUT_SECONDS).toBe('600');
  });

  it('is a Standard state machine logging ALL (without execution data) with X-Ray tracing', () => {
    const { Properties } = deployed.stateMachine;
    expect(Properties.StateMachineType).toBe('STANDARD');
    expect(Properties.TracingConfiguration).toEqual({ Enabled: true });
    expect(Properties.LoggingConfiguration.Level).toBe('ALL');
    // Execution data holds task tokens and customer addresses.
    expect(Properties.LoggingConfiguration.IncludeExecutionData).toBe(false);
    const logGroupId =
      Properties.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn[
        'Fn::GetAtt'
      ][0];
    const logGroup = deployed.template.toJSON().Resources[logGroupId];
    expect(logGroup.Properties.LogGroupName).toBe(
      '/aws/vendedlogs/states/SmartAccountRequests-request',
    );
    expect(logGroup.Properties.RetentionInDays).toBe(180);
  });
});
