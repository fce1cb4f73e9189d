import { Aws, Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Auth, type ServedRoute } from '../../functions/catalog.ts';
import type { CustomDomainSettings } from '../deployment-settings.ts';
import { ApiFirewall } from './api-firewall.ts';
import { addProblemGatewayResponses } from './gateway-responses.ts';

export interface ServiceApiProps {
  readonly restApiName: string;
  readonly stageName: string;
  /** Every route with the module serving it (functions/catalog.ts, routeTable). */
  readonly routes: readonly ServedRoute[];
  readonly functionFor: (module: string) => lambda.IFunction;
  readonly authorizerFunction: lambda.IFunction;
  readonly logRetention: logs.RetentionDays;
  readonly customDomain: CustomDomainSettings | undefined;
}

/** Stage-wide limits for every method together (requests per second / burst). */
export const STAGE_THROTTLING = { rateLimit: 100, burstLimit: 200 } as const;

/** How long API Gateway reuses the authorizer's answer for the same Authorization header. */
export const AUTHORIZER_CACHE_TTL = Duration.minutes(5);

/**
 * One access log line per request. `resourcePath` (the route template) rather than `path`:
 * the path of /activate/{code} carries the activation code, which is never logged.
 */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  partnerId: '$context.authorizer.partnerId',
  authorizerError: '$context.authorizer.error',
  errorResponseType: '$context.error.responseType',
  errorMessage: '$context.error.message',
  wafStatus: '$context.waf.status',
  xrayTraceId: '$context.xrayTraceId',
} as const;

/**
 * The REST API: partner routes behind the cached key authorizer, the public console and
 * activation pages, every route built from functions/catalog.ts. No CORS: the console is
 * served by this same API.
 */
export class ServiceApi extends Construct {
  readonly restApi: apigw.RestApi;
  readonly accessLogs: logs.LogGroup;
  /**
   * Where the API's routes start, without trailing slash: `https://<customDomain>`, else the
   * stage URL. Built without referencing the stage or deployment, which depend on the functions
   * that carry this value.
   */
  readonly baseUrl: string;
  /** The target of the custom domain's DNS record (CNAME or alias), if there is one. */
  readonly customDomainTarget: string | undefined;
  readonly partnerMethods: apigw.Method[] = [];
  readonly publicMethods: apigw.Method[] = [];

  constructor(scope: Construct, id: string, props: ServiceApiProps) {
    super(scope, id);

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.restApi = new apigw.RestApi(this, 'RestApi', {
      restApiName: props.restApiName,
      description: 'Smart Account Requests: partner API, partner console, customer activation',
      endpointConfiguration: { types: [apigw.EndpointType.REGIONAL] },
      // Execution logging needs the account-level CloudWatch role; kept on stack deletion because
      // it is shared by every API in the account and region.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: props.stageName,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: apigw.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        // Bodies hold API keys, customer addresses and activation codes.
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
        throttlingRateLimit: STAGE_THROTTLING.rateLimit,
        throttlingBurstLimit: STAGE_THROTTLING.burstLimit,
      },
    });

    if (props.customDomain) {
      // Mapped at the root: the console and its absolute /v1 paths work without a stage prefix.
      const domain = new apigw.DomainName(this, 'CustomDomain', {
        domainName: props.customDomain.domainName,
        certificate: acm.Certificate.fromCertificateArn(
          this,
          'Certificate',
          props.customDomain.certificateArn,
        ),
        endpointType: apigw.EndpointType.REGIONAL,
        securityPolicy: apigw.SecurityPolicy.TLS_1_2,
        mapping: this.restApi,
      });
      this.baseUrl = `https://${props.customDomain.domainName}`;
      this.customDomainTarget = domain.domainNameAliasDomainName;
    } else {
      this.baseUrl = Fn.join('', [
        'https://',
        this.restApi.restApiId,
        '.execute-api.',
        Aws.REGION,
        '.',
        Aws.URL_SUFFIX,
        `/${props.stageName}`,
      ]);
      this.customDomainTarget = undefined;
    }

    const authorizer = new apigw.RequestAuthorizer(this, 'PartnerAuthorizer', {
      authorizerName: 'partner-api-key',
      handler: props.authorizerFunction,
      identitySources: [apigw.IdentitySource.header('Authorization')],
      resultsCacheTtl: AUTHORIZER_CACHE_TTL,
    });

    // Bodies are validated by the handlers (zod), which answer one `errors` entry per bad field
    // and 413/415 as the contract requires; API Gateway's body validation could do neither.
    const parameterValidator = new apigw.RequestValidator(this, 'ParameterValidator', {
      restApi: this.restApi,
      validateRequestParameters: true,
      validateRequestBody: false,
    });

    const partnerMethod: apigw.MethodOptions = {
      authorizationType: apigw.AuthorizationType.CUSTOM,
      authorizer,
      requestValidator: parameterValidator,
      requestParameters: { 'method.request.header.Authorization': true },
    };
    const publicMethod: apigw.MethodOptions = {
      authorizationType: apigw.AuthorizationType.NONE,
    };

    const integrations = new Map<string, apigw.LambdaIntegration>();
    const integrationFor = (module: string): apigw.LambdaIntegration => {
      let integration = integrations.get(module);
      if (!integration) {
        // No test-invoke permission: the console's "Test" button is not a production path.
        integration = new apigw.LambdaIntegration(props.functionFor(module), {
          allowTestInvoke: false,
        });
        integrations.set(module, integration);
      }
      return integration;
    };

    for (const route of props.routes) {
      const resource =
        route.path === '/' ? this.restApi.root : this.restApi.root.resourceForPath(route.path);
      const isPartnerRoute = route.auth === Auth.PARTNER;
      const method = resource.addMethod(
        route.method,
        integrationFor(route.module),
        isPartnerRoute ? partnerMethod : publicMethod,
      );
      (isPartnerRoute ? this.partnerMethods : this.publicMethods).push(method);
    }

    addProblemGatewayResponses(this.restApi);

    new ApiFirewall(this, 'Firewall', {
      stage: this.restApi.deploymentStage,
      metricPrefix: props.restApiName,
    });
  }
}
