import { App, type AppProps, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { FunctionEntry } from '../functions/catalog.ts';
import type { CodeForModule } from './constructs/handler-function.ts';
import { readDeploymentSettings } from './deployment-settings.ts';
import { SERVICE_NAME, SmartAccountRequestsStack } from './smart-account-requests-stack.ts';

export interface ServiceAppOptions extends AppProps {
  /** Tests only: code to deploy instead of esbuild bundles. */
  readonly codeFor?: CodeForModule;
  /** Tests only: another catalog than functions/catalog.ts. */
  readonly catalog?: readonly FunctionEntry[];
}

export interface ServiceApp {
  readonly app: App;
  readonly stack: SmartAccountRequestsStack;
}

/**
 * The whole CDK app: settings from context, the stack, and cdk-nag's AWS Solutions checks,
 * which fail the synth on any finding not acknowledged with a reason.
 */
export const createServiceApp = (options: ServiceAppOptions = {}): ServiceApp => {
  const { codeFor, catalog, ...appProps } = options;
  const app = new App(appProps);
  const settings = readDeploymentSettings(app.node);
  const stack = new SmartAccountRequestsStack(app, settings.stackName, {
    settings,
    codeFor,
    catalog,
    description: 'Smart Account Requests: partner API, activation workflow and mail',
  });
  Tags.of(app).add('service', SERVICE_NAME);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
};
