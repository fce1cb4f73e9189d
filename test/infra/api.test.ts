import { describe, expect, it } from 'vitest';
import { Auth, onlyEntryTriggeredBy, routeTable } from '../../functions/catalog.ts';
import { RATE_LIMITS } from '../../infra/constructs/api-firewall.ts';
import { synthesizedTemplate } from './support/service-app.ts';
import {
  functionOf,
  type Json,
  referencedLogicalId,
  renderJoin,
  resourcesOfType,
} from './support/template-queries.ts';

const template = synthesizedTemplate();
const routes = routeTable();
const resources = template.toJSON().Resources as Record<string, Json>;
const [restApiId] = resourcesOfType(template, 'AWS::ApiGateway::RestApi')[0] ?? [];
const [authorizerId, authorizer] =
  resourcesOfType(template, 'AWS::ApiGateway::Authorizer')[0] ?? [];
const [, stage] = resourcesOfType(template, 'AWS::ApiGateway::Stage')[0] ?? [];

/** The path of an API Gateway resource, rebuilt from the resource tree. */
const pathOf = (resourceId: Json): string => {
  const logicalId = referencedLogicalId(resourceId);
  if (!logicalId || logicalId === restApiId) return '/';
  const resource = resources[logicalId];
  const parent = pathOf(resource.Properties.ParentId);
  return `${parent === '/' ? '' : parent}/${resource.Properties.PathPart}`;
};

const methods = resourcesOfType(template, 'AWS::ApiGateway::Method').map(([, method]) => ({
  method: method.Properties.HttpMethod as string,
  path: pathOf(method.Properties.ResourceId),
  properties: method.Properties,
}));

const methodFor = (route: (typeof routes)[number]) => {
  const found = methods.find((m) => m.method === route.method && m.path === route.path);
  if (!found) throw new Error(`no method for ${route.method} ${route.path}`);
  return found.properties;
};

const gatewayResponses: Record<string, Json> = Object.fromEntries(
  resourcesOfType(template, 'AWS::ApiGateway::GatewayResponse').map(([, response]) => [
    response.Properties.ResponseType,
    response.Properties,
  ]),
);

/** Stands in for API Gateway's variable substitution in gateway response templates. */
const renderGatewayTemplate = (text: string): unknown =>
  JSON.parse(
    text
      .replaceAll('$context.error.messageString', '"Unauthorized"')
      .replaceAll('$context.requestId', '0f1e2d3c-aaaa-bbbb-cccc-000000000000'),
  );

describe('the REST API', () => {
  it('has exactly the routes of functions/catalog.ts, and no CORS preflight', () => {
    expect(methods.map((m) => `${m.method} ${m.path}`).sort()).toEqual(
      routes.map((route) => `${route.method} ${route.path}`).sort(),
    );
    expect(methods.some((m) => m.method === 'OPTIONS')).toBe(false);
  });

  it.each(routes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s invokes its handler through a Lambda proxy integration',
    (_name, route) => {
      const integration = methodFor(route).Integration;
      expect(integration.Type).toBe('AWS_PROXY');
      expect(integration.IntegrationHttpMethod).toBe('POST');
      const [functionId] = functionOf(template, route.module);
      expect(JSON.stringify(integration.Uri)).toContain(`"${functionId}","Arn"`);
    },
  );

  it('puts every partner route behind the authorizer, and only those', () => {
    for (const route of routes) {
      const method = methodFor(route);
      if (route.auth === Auth.PARTNER) {
        expect(method.AuthorizationType, route.path).toBe('CUSTOM');
        expect(method.AuthorizerId).toEqual({ Ref: authorizerId });
        expect(method.RequestParameters).toEqual({ 'method.request.header.Authorization': true });
        expect(method.RequestValidatorId).toBeDefined();
      } else {
        expect(method.AuthorizationType, route.path).toBe('NONE');
        expect(method.AuthorizerId).toBeUndefined();
      }
    }
  });

  it('validates request parameters where a validator is attached', () => {
    const [, validator] = resourcesOfType(template, 'AWS::ApiGateway::RequestValidator')[0] ?? [];
    expect(validator.Properties.ValidateRequestParameters).toBe(true);
  });

  it('authorizes partners with a cached REQUEST authorizer on the Authorization header', () => {
    expect(authorizer.Properties).toMatchObject({
      Type: 'REQUEST',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: 300,
    });
    const [functionId] = functionOf(template, onlyEntryTriggeredBy('authorizer').module);
    expect(JSON.stringify(authorizer.Properties.AuthorizerUri)).toContain(`"${functionId}","Arn"`);
  });

  it.each(['UNAUTHORIZED', 'ACCESS_DENIED', 'THROTTLED', 'DEFAULT_4XX', 'DEFAULT_5XX'])(
    'answers %s itself as application/problem+json with an errorId',
    (type) => {
      const response = gatewayResponses[type];
      expect(response.ResponseParameters['gatewayresponse.header.Content-Type']).toBe(
        "'application/problem+json'",
      );
      const body = renderGatewayTemplate(response.ResponseTemplates['application/json']) as Json;
      expect(body).toMatchObject({
        type: expect.stringMatching(/^urn:smart-account-requests:problem:/),
        title: expect.any(String),
        detail: expect.any(String),
        errorId: '0f1e2d3c-aaaa-bbbb-cccc-000000000000',
      });
    },
  );

  it('renders every gateway response as valid problem+json whose status is the HTTP status', () => {
    for (const [type, response] of Object.entries(gatewayResponses)) {
      const body = renderGatewayTemplate(response.ResponseTemplates['application/json']) as Json;
      if (response.StatusCode !== undefined)
        expect(body.status, type).toBe(Number(response.StatusCode));
      expect(response.ResponseParameters['gatewayresponse.header.Cache-Control']).toBe(
        "'no-store'",
      );
      expect(
        response.ResponseParameters['gatewayresponse.header.X-Content-Type-Options'],
        type,
      ).toBe("'nosniff'");
    }
  });

  it('answers a missing or unknown key with 401 (contract), an unknown path with 404', () => {
    expect(gatewayResponses.UNAUTHORIZED.StatusCode).toBe('401');
    expect(gatewayResponses.ACCESS_DENIED.StatusCode).toBe('401');
    expect(
      gatewayResponses.UNAUTHORIZED.ResponseParameters['gatewayresponse.header.WWW-Authenticate'],
    ).toBe("'Bearer'");
    expect(gatewayResponses.MISSING_AUTHENTICATION_TOKEN.StatusCode).toBe('404');
    expect(gatewayResponses.THROTTLED.StatusCode).toBe('429');
    expect(gatewayResponses.WAF_FILTERED.StatusCode).toBe('429');
  });

  it('throttles the stage, writes JSON access logs, traces, and never logs bodies', () => {
    expect(stage.Properties.StageName).toBe('prod');
    expect(stage.Properties.TracingEnabled).toBe(true);
    expect(stage.Properties.MethodSettings).toEqual([
      expect.objectContaining({
        HttpMethod: '*',
        ResourcePath: '/*',
        ThrottlingRateLimit: 100,
        ThrottlingBurstLimit: 200,
        LoggingLevel: 'ERROR',
        DataTraceEnabled: false,
        MetricsEnabled: true,
      }),
    ]);
    const format = JSON.parse(stage.Properties.AccessLogSetting.Format);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      partnerId: '$context.authorizer.partnerId',
    });
    // /activate/{code}: the path itself is a credential.
    expect(Object.values(format)).not.toContain('$context.path');
    const logGroupId = stage.Properties.AccessLogSetting.DestinationArn['Fn::Join'][1].at(-1).Ref;
    expect(resources[logGroupId].Properties.RetentionInDays).toBe(180);
  });

  it('limits requests per partner key and per client address with a web ACL on the stage', () => {
    const [aclId, acl] = resourcesOfType(template, 'AWS::WAFv2::WebACL')[0] ?? [];
    const [, association] = resourcesOfType(template, 'AWS::WAFv2::WebACLAssociation')[0] ?? [];
    expect(association.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
    expect(renderJoin(association.Properties.ResourceArn)).toMatch(
      /\/restapis\/<.+>\/stages\/<.+>$/,
    );
    const rules = Object.fromEntries(
      acl.Properties.Rules.map((rule: Json) => [rule.Name, rule.Statement.RateBasedStatement]),
    );
    expect(rules.PerPartnerKeyRateLimit).toMatchObject({
      Limit: RATE_LIMITS.perPartnerKey,
      AggregateKeyType: 'CUSTOM_KEYS',
      CustomKeys: [{ Header: { Name: 'authorization' } }],
    });
    expect(rules.PerClientIpRateLimit).toMatchObject({
      Limit: RATE_LIMITS.perClientIp,
      AggregateKeyType: 'IP',
    });
    expect(acl.Properties.DefaultAction).toEqual({ Allow: {} });
  });

  it('defaults PUBLIC_BASE_URL to the stage URL, built from the API id alone', () => {
    const [, show] = functionOf(template, 'activation/show-activation');
    expect(renderJoin(show.Properties.Environment.Variables.PUBLIC_BASE_URL)).toBe(
      `https://<${restApiId}>.execute-api.<AWS::Region>.<AWS::URLSuffix>/prod`,
    );
    const outputs = template.toJSON().Outputs;
    expect(renderJoin(outputs.ActivationBaseUrl.Value)).toBe(
      `https://<${restApiId}>.execute-api.<AWS::Region>.<AWS::URLSuffix>/prod/activate/`,
    );
    expect(outputs.ApiUrl).toBeDefined();
  });

  it('serves at the root of a custom domain when domainName and certificateArn are given', () => {
    const custom = synthesizedTemplate({
      domainName: 'accounts.partner.example',
      certificateArn:
        'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-000000000000',
    });
    const [domainId, domain] = resourcesOfType(custom, 'AWS::ApiGateway::DomainName')[0] ?? [];
    expect(domain.Properties).toMatchObject({
      DomainName: 'accounts.partner.example',
      EndpointConfiguration: { Types: ['REGIONAL'] },
      SecurityPolicy: 'TLS_1_2',
    });
    const [, mapping] = resourcesOfType(custom, 'AWS::ApiGateway::BasePathMapping')[0] ?? [];
    expect(mapping.Properties.DomainName).toEqual({ Ref: domainId });
    expect(mapping.Properties.BasePath).toBeUndefined();
    const [, show] = functionOf(custom, 'activation/show-activation');
    expect(show.Properties.Environment.Variables.PUBLIC_BASE_URL).toBe(
      'https://accounts.partner.example',
    );
    expect(custom.toJSON().Outputs.CustomDomainTarget.Value).toEqual({
      'Fn::GetAtt': [domainId, 'RegionalDomainName'],
    });
  });

  it('uses the publicBaseUrl context value for links and the allowed Origin', () => {
    const custom = synthesizedTemplate({ publicBaseUrl: 'https://accounts.partner.example' });
    const [, show] = functionOf(custom, 'activation/show-activation');
    expect(show.Properties.Environment.Variables.PUBLIC_BASE_URL).toBe(
      'https://accounts.partner.example',
    );
    expect(custom.toJSON().Outputs.ActivationBaseUrl.Value).toBe(
      'https://accounts.partner.example/activate/',
    );
  });
});
