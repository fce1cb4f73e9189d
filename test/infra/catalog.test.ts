import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Auth,
  catalog,
  constructIdOf,
  entriesTriggeredBy,
  type FunctionEntry,
  routeTable,
} from '../../functions/catalog.ts';
import { entryOf as entryFileOf } from '../../infra/constructs/bundling.ts';
import { stubbedServiceApp, synthesizedTemplate } from './support/service-app.ts';
import {
  functionOf,
  grantsOf,
  type Json,
  referencedLogicalId,
  resourcesOfType,
  statementsOfFunction,
} from './support/template-queries.ts';

/** Logical ids a resource refers to: Ref, Fn::GetAtt, Fn::Sub placeholders and DependsOn. */
const referencesIn = (value: Json, into = new Set<string>()): Set<string> => {
  if (Array.isArray(value)) {
    for (const item of value) referencesIn(item, into);
  } else if (value && typeof value === 'object') {
    if (typeof value.Ref === 'string') into.add(value.Ref);
    if (Array.isArray(value['Fn::GetAtt'])) into.add(value['Fn::GetAtt'][0]);
    const sub = value['Fn::Sub'];
    const text = Array.isArray(sub) ? sub[0] : sub;
    if (typeof text === 'string') {
      for (const match of text.matchAll(/\$\{([A-Za-z0-9]+)[.}]/g)) into.add(match[1] as string);
    }
    for (const item of Object.values(value)) referencesIn(item, into);
  }
  return into;
};

/** A dependency cycle among the template's resources (CloudFormation refuses those), or []. */
const dependencyCycle = (resources: Record<string, Json>): string[] => {
  const edges = new Map(
    Object.entries(resources).map(([id, resource]) => {
      const refs = referencesIn(resource.Properties ?? {});
      for (const dependency of [resource.DependsOn ?? []].flat()) refs.add(dependency);
      return [id, [...refs].filter((ref) => ref in resources)];
    }),
  );
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] => {
    if (state.get(id) === 'done') return [];
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    path.push(id);
    for (const next of edges.get(id) ?? []) {
      const cycle = visit(next);
      if (cycle.length > 0) return cycle;
    }
    path.pop();
    state.set(id, 'done');
    return [];
  };
  for (const id of edges.keys()) {
    const cycle = visit(id);
    if (cycle.length > 0) return cycle;
  }
  return [];
};

/** Stands in for a handler module that does not exist: synth never loads it. */
const notLoaded = (): Promise<never> => Promise.reject(new Error('synth-only stand-in'));

describe('the function catalog', () => {
  beforeAll(() => {
    // Handlers build their adapters when imported; these are the settings they require.
    Object.assign(process.env, {
      AWS_REGION: 'eu-west-1',
      TABLE_NAME: 'catalog-test',
      STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:catalog-test',
      SENDER_EMAIL: 'no-reply@example.com',
      PUBLIC_BASE_URL: 'https://example.com',
      EVENT_BUS_NAME: 'catalog-test',
      DELIVERY_STATE_MACHINE_ARN:
        'arn:aws:states:eu-west-1:123456789012:stateMachine:catalog-test-delivery',
    });
  });

  it.each(catalog.map((entry) => [entry.module, entry] as const))(
    '%s: load imports the very module the CDK bundles',
    async (_module, entry) => {
      const bundled = await import(pathToFileURL(entryFileOf(entry.module)).href);
      const loaded = await entry.load();
      expect(loaded).toBe(bundled);
      expect(typeof loaded.handler).toBe('function');
    },
  );

  it('names each module once, each route once, each workflow substitution once', () => {
    const modules = catalog.map((entry) => entry.module);
    expect(new Set(modules).size).toBe(modules.length);
    const routes = routeTable().map((route) => `${route.method} ${route.path}`);
    expect(new Set(routes).size).toBe(routes.length);
    const substitutions = entriesTriggeredBy('workflowTask').map(
      (entry) => entry.trigger.substitution,
    );
    expect(new Set(substitutions).size).toBe(substitutions.length);
    expect(entriesTriggeredBy('authorizer')).toHaveLength(1);
  });

  it('deploys a template without dependency cycles', () => {
    expect(dependencyCycle(synthesizedTemplate().toJSON().Resources)).toEqual([]);
  });

  it('refuses a workflow task that would refer to the state machine invoking it', () => {
    const cyclic = catalog.map((entry) =>
      entry.module === 'workflow/close-request'
        ? { ...entry, uses: { ...entry.uses, workflow: ['sendTaskFailure' as const] } }
        : entry,
    );
    expect(() => stubbedServiceApp({}, cyclic)).toThrow(
      'functions/workflow/close-request.ts is a workflow task and cannot also use the workflow',
    );
  });
});

describe('a new entry is all a new function needs', () => {
  // A route that does not exist, as it would be added: one entry.
  const archive: FunctionEntry = {
    module: 'api/archive-request',
    load: notLoaded,
    trigger: {
      kind: 'routes',
      routes: [
        { method: 'POST', path: '/v1/smart-account-requests/{id}/archive', auth: Auth.PARTNER },
      ],
    },
    uses: { table: 'readWrite' },
  };
  const sweep: FunctionEntry = {
    module: 'workflow/sweep',
    load: notLoaded,
    trigger: { kind: 'schedule', everyMinutes: 5 },
    uses: { table: 'readWrite', indexes: ['GSI1'], workflow: ['startExecution'] },
  };
  const template = synthesizedTemplate({}, [...catalog, archive, sweep]);
  const resources: Record<string, Json> = template.toJSON().Resources;
  const [tableId] = resourcesOfType(template, 'AWS::DynamoDB::Table')[0] ?? [];
  const [stateMachineId] = resourcesOfType(template, 'AWS::StepFunctions::StateMachine')[0] ?? [];

  it('a route: its API method behind the authorizer, its function, settings, grants and alarm', () => {
    const [functionId, fn] = functionOf(template, 'api/archive-request');
    const method = resourcesOfType(template, 'AWS::ApiGateway::Method').find(
      ([, candidate]) =>
        candidate.Properties.HttpMethod === 'POST' &&
        resources[referencedLogicalId(candidate.Properties.ResourceId) as string]?.Properties
          .PathPart === 'archive',
    )?.[1];
    expect(method?.Properties.AuthorizationType).toBe('CUSTOM');
    expect(JSON.stringify(method?.Properties.Integration.Uri)).toContain(`"${functionId}","Arn"`);

    expect(fn.Properties.Timeout).toBe(10);
    // What every function has (health uses nothing), plus the table's name.
    const serviceWide = Object.keys(
      functionOf(template, 'api/health')[1].Properties.Environment.Variables,
    );
    expect(Object.keys(fn.Properties.Environment.Variables).sort()).toEqual(
      [...serviceWide, 'TABLE_NAME'].sort(),
    );
    const dataGrants = grantsOf(statementsOfFunction(template, 'api/archive-request')).filter(
      (grant) => !grant.startsWith('logs:') && !grant.startsWith('xray:'),
    );
    expect(dataGrants).toHaveLength(8);
    for (const grant of dataGrants) expect(grant).toMatch(new RegExp(` on <${tableId}.Arn>$`));

    const alarmNames = resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(
      ([, alarm]) => alarm.Properties.AlarmName,
    );
    expect(alarmNames).toContain(
      `SmartAccountRequests-${constructIdOf('api/archive-request')}Errors`,
    );
  });

  it('a schedule: an EventBridge rule at its rate, with the grants its uses imply', () => {
    const [functionId, fn] = functionOf(template, 'workflow/sweep');
    const [ruleId, rule] =
      resourcesOfType(template, 'AWS::Events::Rule').find(
        ([, candidate]) =>
          candidate.Properties.ScheduleExpression !== undefined &&
          JSON.stringify(candidate.Properties.Targets).includes(`"${functionId}"`),
      ) ?? [];
    expect(rule.Properties.ScheduleExpression).toBe('rate(5 minutes)');
    expect(rule.Properties.Targets).toEqual([
      expect.objectContaining({ Arn: { 'Fn::GetAtt': [functionId, 'Arn'] } }),
    ]);
    const permission = resourcesOfType(template, 'AWS::Lambda::Permission').find(
      ([, candidate]) => referencedLogicalId(candidate.Properties.SourceArn) === ruleId,
    )?.[1];
    expect(permission?.Properties).toMatchObject({
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] },
    });

    expect(fn.Properties.Timeout).toBe(30);
    expect(fn.Properties.Environment.Variables.STATE_MACHINE_ARN).toEqual({ Ref: stateMachineId });
    const grants = grantsOf(statementsOfFunction(template, 'workflow/sweep'));
    expect(grants).toContain(`states:StartExecution on <${stateMachineId}>`);
    expect(grants).toContain(`dynamodb:Query on <${tableId}.Arn>/index/GSI1`);
  });

  it('still deploys without dependency cycles', () => {
    expect(dependencyCycle(resources)).toEqual([]);
  });
});
