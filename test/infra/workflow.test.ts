import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import aslValidator from 'asl-validator';
import { Template } from 'aws-cdk-lib/assertions';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { entriesTriggeredBy, machineOf } from '../../functions/catalog.ts';
import { WORKFLOW_DEFINITION_FILE } from '../../infra/constructs/request-workflow.ts';
import { stubbedServiceApp } from './support/service-app.ts';
import { functionOf, type Json, renderJoin, resourcesOfType } from './support/template-queries.ts';

const aslText = readFileSync(WORKFLOW_DEFINITION_FILE, 'utf8');
const taskEntries = entriesTriggeredBy('workflowTask').filter(
  ({ trigger }) => machineOf(trigger) === 'request',
);
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

type LocalHandlers = Record<string, (input: Json) => Promise<unknown>>;

/** Lambda's invoke integration wraps a function's result in `Payload`. */
const invoked = (payload: unknown) => ({ Payload: payload, StatusCode: 200 });
const named = (name: string) => Object.assign(new Error(name), { name });

/**
 * Runs the deployed definition on aws-local-stepfunctions with each task answered by a local
 * handler, and returns the states it entered, in order.
 */
const runWith = async (handlers: LocalHandlers): Promise<{ states: string[]; output: Json }> => {
  const definition = JSON.parse(substitute(deployed.definitionText, deployed.substitutions));
  const machine = new StateMachine(definition as StateMachineDefinition, {
    validationOptions: { checkArn: false },
  });
  const execution = machine.run(
    { requestId: 'sar_test' },
    {
      overrides: { taskResourceLocalHandlers: handlers as never },
      context: { Task: { Token: 'task-token' } },
    },
  );
  const states: string[] = [];
  const follow = (async () => {
    for await (const event of execution.eventLogs as AsyncGenerator<Json>) {
      if (event.type === 'StateEntered') states.push(event.state.name);
    }
  })();
  const output = (await execution.result) as Json;
  await follow.catch(() => undefined);
  return { states, output };
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
    // The task functions only: no timing. The table holds the schedule and Wake reads it.
    expect(placeholdersIn(aslText)).toEqual(
      taskEntries.map((entry) => entry.trigger.substitution).sort(),
    );
  });

  it('deploys the substituted file: the task function ARNs', () => {
    const expected = substitute(
      aslText,
      Object.fromEntries(
        taskEntries.map(({ trigger: { substitution }, module }) => [
          substitution,
          `<${functionOf(deployed.template, module)[0]}.Arn>`,
        ]),
      ),
    );
    const deployedDefinition = JSON.parse(
      substitute(deployed.definitionText, deployed.substitutions),
    );
    expect(deployedDefinition).toEqual(JSON.parse(expected));
    expect(JSON.stringify(deployedDefinition)).not.toContain('${');
  });

  it('waits on a fresh task token for as long as Wake planned, 90 days as a number', async () => {
    let waitInput: Json;
    const { states } = await runWith({
      Wake: async () => invoked({ action: 'WAIT', waitSeconds: 7_776_000 }),
      WaitForActivation: async (input) => {
        waitInput = input;
        throw named('RequestClosed');
      },
      Settle: async () => invoked({ status: 'CANCELLED' }),
    });
    expect(states).toEqual(['Wake', 'Due', 'WaitForActivation', 'Settle', 'Outcome', 'Cancelled']);
    expect(waitInput.Payload).toMatchObject({ requestId: 'sar_test', waitSeconds: 7_776_000 });
    const wait = JSON.parse(aslText).States.WaitForActivation;
    expect(wait.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(wait.TimeoutSeconds).toBeUndefined();
    // Resolves in the state input (Step Functions) and in the task's parameters (the local runner).
    expect(wait.TimeoutSecondsPath).toBe('$.Payload.waitSeconds');
  });

  it('wakes at the planned time, reads the table again and expires once it says so', async () => {
    const plans = [
      { action: 'WAIT', waitSeconds: 5_184_000 },
      { action: 'EXPIRE', waitSeconds: 1 },
    ];
    const { states, output } = await runWith({
      Wake: async () => invoked(plans.shift()),
      WaitForActivation: async () => {
        throw named('States.Timeout');
      },
      Expire: async () => invoked({ status: 'EXPIRED', action: 'SETTLE', waitSeconds: 1 }),
      Settle: async () => invoked({ status: 'EXPIRED' }),
    });
    expect(states).toEqual([
      'Wake',
      'Due',
      'WaitForActivation',
      'Wake',
      'Due',
      'Expire',
      'Due',
      'Settle',
      'Outcome',
      'Expired',
    ]);
    expect(output.outcome).toEqual({ status: 'EXPIRED' });
  });

  it('waits again when an extension beat the expiry write (Expire answers WAIT)', async () => {
    let waits = 0;
    const plans = [
      { action: 'EXPIRE', waitSeconds: 1 },
      { action: 'SETTLE', waitSeconds: 1 },
    ];
    const { states } = await runWith({
      Wake: async () => invoked(plans.shift()),
      Expire: async () =>
        invoked({ status: 'PENDING_ACTIVATION', action: 'WAIT', waitSeconds: 3_600 }),
      WaitForActivation: async (input) => {
        waits += 1;
        expect(input.Payload.waitSeconds).toBe(3_600);
        throw named('States.Timeout');
      },
      Settle: async () => invoked({ status: 'EXPIRED' }),
    });
    expect(waits).toBe(1);
    expect(states).toEqual([
      'Wake',
      'Due',
      'Expire',
      'Due',
      'WaitForActivation',
      'Wake',
      'Due',
      'Settle',
      'Outcome',
      'Expired',
    ]);
  });

  it('settles at once a request that is closed already (a new execution for a decided request)', async () => {
    const { states } = await runWith({
      Wake: async () => invoked({ action: 'SETTLE', waitSeconds: 1 }),
      Settle: async () => invoked({ status: 'ACTIVE' }),
    });
    expect(states).toEqual(['Wake', 'Due', 'Settle', 'Outcome', 'Activated']);
  });

  it('activates within 8 state transitions', async () => {
    const { states } = await runWith({
      Wake: async () => invoked({ action: 'WAIT', waitSeconds: 7_776_000 }),
      WaitForActivation: async () => ({ status: 'ACTIVE' }),
      Settle: async () => invoked({ status: 'ACTIVE' }),
    });
    expect(states).toEqual(['Wake', 'Due', 'WaitForActivation', 'Settle', 'Outcome', 'Activated']);
    expect(states.length).toBeLessThanOrEqual(8);
  });

  it('passes the activationTimeoutSeconds context value to the function that sets expiresAt', () => {
    const shortened = deployedWorkflow({ activationTimeoutSeconds: '600' });
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
