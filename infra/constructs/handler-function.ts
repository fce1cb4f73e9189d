import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionEntry } from '../../functions/catalog.ts';
import { bundlingFor, entryOf, PROJECT_ROOT } from './bundling.ts';

/**
 * Supplies ready-made code instead of an esbuild bundle. Tests use it to synthesize the stack
 * without bundling (or before every handler exists); deployments never pass it.
 */
export type CodeForModule = (module: string) => lambda.Code;

export interface HandlerFunctionProps {
  /** Its catalog entry (functions/catalog.ts): module, trigger and uses. */
  readonly entry: FunctionEntry;
  /** The settings its uses imply, plus the service-wide ones. */
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: logs.RetentionDays;
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  readonly codeFor?: CodeForModule;
}

/**
 * API handlers answer well within API Gateway's 29 s (a batch of 100 takes more: its entry
 * says so); the others may wait on SES retries.
 */
const timeoutOf = (entry: FunctionEntry): Duration =>
  Duration.seconds(
    entry.timeoutSeconds ??
      (entry.trigger.kind === 'routes' || entry.trigger.kind === 'authorizer' ? 10 : 30),
  );

/**
 * One Lambda function with its own role and log group. The role starts empty (no managed
 * policy): it may write only to this function's log group, and the stack adds exactly what
 * the module needs.
 */
export class HandlerFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);
    const { module, uses } = props.entry;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `functions/${module}.ts`,
    });
    this.logGroup.grantWrite(this.role);

    const code = props.codeFor?.(module);
    this.function = new NodejsFunction(this, 'Function', {
      description: `functions/${module}.ts`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 1024,
      timeout: timeoutOf(props.entry),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      // The one log-level setting: Lambda drops lines below it and sets AWS_LAMBDA_LOG_LEVEL,
      // which the handlers' logger takes as its level (functions/shared/logger.ts); the local
      // stack sets the same variable.
      applicationLogLevelV2: lambda.ApplicationLogLevel[props.logLevel],
      systemLogLevelV2: lambda.SystemLogLevel.INFO,
      tracing: lambda.Tracing.ACTIVE,
      // AWS's Parameters and Secrets extension: the function reads its secret over localhost,
      // cached, instead of bundling a Secrets Manager client (smaller, faster cold starts).
      ...(uses.activationSecret
        ? {
            paramsAndSecrets: lambda.ParamsAndSecretsLayerVersion.fromVersion(
              lambda.ParamsAndSecretsVersions.V1_0_103,
              { cacheEnabled: true, logLevel: lambda.ParamsAndSecretsLogLevel.WARN },
            ),
          }
        : {}),
      environment: {
        ...props.environment,
        // Bundles ship source maps; this makes stack traces point at the TypeScript sources.
        NODE_OPTIONS: '--enable-source-maps',
      },
      ...(code
        ? { code, handler: 'index.handler' }
        : {
            entry: entryOf(module),
            handler: 'handler',
            projectRoot: PROJECT_ROOT,
            depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
            bundling: bundlingFor(module),
          }),
    });
  }
}
