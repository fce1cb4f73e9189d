import { Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { NAG_ACKNOWLEDGEMENTS } from '../../infra/nag-acknowledgements.ts';
import { stubbedServiceApp } from './support/service-app.ts';

interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

const acknowledgementsIn = (root: IConstruct): Acknowledgement[] =>
  root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );

describe('cdk-nag (AwsSolutions)', () => {
  it('finds nothing unacknowledged, errors or warnings', () => {
    const { app } = stubbedServiceApp();
    const report = new AwsSolutionsChecks().validateScope(app);
    const findings = report.violations.flatMap((violation) =>
      violation.violatingResources.map(
        (resource) => `${violation.ruleName} (${violation.severity}) at ${resource.constructPath}`,
      ),
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('runs in the synth of the app and lets it pass', () => {
    const { app } = stubbedServiceApp();
    expect(() => app.synth()).not.toThrow();
  });

  it('fails the synth on any finding nobody acknowledged', () => {
    const { app, stack } = stubbedServiceApp();
    new sqs.Queue(stack, 'UnacknowledgedQueue');
    expect(() => app.synth()).toThrowError(/AwsSolutions-SQS4/);
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(report.violations.map((violation) => violation.ruleName)).toContain('AwsSolutions-SQS4');
  });

  it('acknowledges only the listed findings, each with its reason', () => {
    const { app } = stubbedServiceApp();
    // The executions finding is named after the synthesized ARN (the machine's name is a
    // token); it is listed once under a readable id, and must name this machine's executions.
    const executions =
      /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:\{"Fn::Select":\[6,\{"Fn::Split":\[":",\{"Ref":"WorkflowStateMachine[0-9A-F]{8}"\}\]\}\]\}:\*\]$/;
    const acknowledgements = acknowledgementsIn(app).map((a) =>
      executions.test(a.id) ? { ...a, id: NAG_ACKNOWLEDGEMENTS.describeOwnExecutions.id } : a,
    );
    const listed = Object.values(NAG_ACKNOWLEDGEMENTS);
    for (const acknowledgement of acknowledgements) {
      expect(
        listed.some(
          ({ id, reason }) => id === acknowledgement.id && reason === acknowledgement.reason,
        ),
        `${acknowledgement.id} at ${acknowledgement.path}`,
      ).toBe(true);
    }
    expect(new Set(acknowledgements.map((a) => a.id))).toEqual(new Set(listed.map((a) => a.id)));
    for (const { reason } of listed) expect(reason.length).toBeGreaterThan(60);
  });

  it('acknowledges wildcard resources on roles only, never on the whole stack', () => {
    const { app, stack } = stubbedServiceApp();
    const onStackOrApp = acknowledgementsIn(app).filter(
      (a) => a.path === stack.node.path || a.path === '',
    );
    expect(onStackOrApp).toEqual([]);
    const wildcardPaths = acknowledgementsIn(app)
      .filter((a) => a.id === 'AwsSolutions-IAM5[Resource::*]')
      .map((a) => a.path);
    expect(wildcardPaths.every((path) => path.endsWith('/Role'))).toBe(true);
  });
});
