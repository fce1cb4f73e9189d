import type { Template } from 'aws-cdk-lib/assertions';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON is untyped by nature.
export type Json = any;

export interface PolicyStatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: Json;
}

export const resourcesOfType = (template: Template, type: string): [string, Json][] =>
  Object.entries(template.findResources(type));

export const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** The Lambda function deployed for functions/<module>.ts, found by its description. */
export const functionOf = (template: Template, module: string): [string, Json] => {
  const found = resourcesOfType(template, 'AWS::Lambda::Function').filter(
    ([, fn]) => fn.Properties.Description === `functions/${module}.ts`,
  );
  if (found.length !== 1)
    throw new Error(`expected one function for ${module}, found ${found.length}`);
  return found[0] as [string, Json];
};

/** Every statement of every policy attached to the role. */
export const statementsOfRole = (
  template: Template,
  roleLogicalId: string,
): PolicyStatementJson[] =>
  resourcesOfType(template, 'AWS::IAM::Policy')
    .filter(([, policy]) =>
      asList(policy.Properties.Roles).some((role: Json) => role.Ref === roleLogicalId),
    )
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);

export const statementsOfFunction = (template: Template, module: string): PolicyStatementJson[] => {
  const [, fn] = functionOf(template, module);
  return statementsOfRole(template, fn.Properties.Role['Fn::GetAtt'][0]);
};

export const actionsOf = (statements: readonly PolicyStatementJson[]): string[] =>
  statements.flatMap((statement) => asList(statement.Action)).sort();

/** Statements granting the action, e.g. `states:StartExecution`. */
export const statementsWith = (
  statements: readonly PolicyStatementJson[],
  action: string,
): PolicyStatementJson[] =>
  statements.filter((statement) => asList(statement.Action).includes(action));

/** `{ 'Fn::GetAtt': [id, 'Arn'] }` -> id, `{ Ref: id }` -> id. */
export const referencedLogicalId = (value: Json): string | undefined =>
  value?.Ref ?? value?.['Fn::GetAtt']?.[0];

/** A Fn::Join of literals and references, rendered with `<Ref>` / `<Id.Attr>` placeholders. */
export const renderJoin = (value: Json): string => {
  if (typeof value === 'string') return value;
  if (value?.['Fn::Join']) {
    const [separator, parts] = value['Fn::Join'];
    return parts.map(renderJoin).join(separator);
  }
  if (value?.Ref) return `<${value.Ref}>`;
  if (value?.['Fn::GetAtt']) return `<${value['Fn::GetAtt'].join('.')}>`;
  return JSON.stringify(value);
};

/** Every (action, resource) pair a set of statements allows, as `action on <rendered resource>`. */
export const grantsOf = (statements: readonly PolicyStatementJson[]): string[] =>
  statements
    .flatMap((statement) =>
      asList(statement.Action).flatMap((action) =>
        asList(statement.Resource).map((resource: Json) => `${action} on ${renderJoin(resource)}`),
      ),
    )
    .sort();
