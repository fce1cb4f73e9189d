import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler as health } from '../../../functions/api/health.ts';
import { handler as openapi } from '../../../functions/api/openapi.ts';
import { handler as serveConsole } from '../../../functions/console/serve-console.ts';
import { apiHandler } from '../../../functions/http/api-handler.ts';
import { json } from '../../../functions/http/responses.ts';
import {
  ResultPage,
  renderActivationPage,
  renderResultPage,
} from '../../../functions/messages/pages.ts';
import { NotFound, ValidationFailed } from '../../../functions/shared/errors.ts';
import { Locale } from '../../../functions/shared/locale.ts';
import { lambdaContext } from '../../../local/lambda-context.ts';

type Headers = APIGatewayProxyResult['headers'];

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

const expectHtmlSecurityHeaders = (headers: Headers) => {
  expect(headers).toMatchObject({
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });
  const hsts = /^max-age=(\d+); includeSubDomains$/.exec(
    String(headers?.['Strict-Transport-Security']),
  );
  expect(Number(hsts?.[1])).toBeGreaterThanOrEqual(ONE_YEAR_SECONDS);
  const denied = String(headers?.['Permissions-Policy']).split(', ');
  expect(denied).toEqual(
    expect.arrayContaining(['camera=()', 'microphone=()', 'geolocation=()', 'payment=()']),
  );
};

const context = lambdaContext('security-headers-test');

const consoleEvent = (path: string, file?: string): APIGatewayProxyEvent =>
  ({
    httpMethod: 'GET',
    path,
    resource: file === undefined ? '/' : '/console/{file}',
    pathParameters: file === undefined ? null : { file },
    headers: {},
    requestContext: { path, stage: 'prod' },
  }) as unknown as APIGatewayProxyEvent;

const apiEvent = {
  httpMethod: 'GET',
  path: '/v1/smart-account-requests',
  resource: '/v1/smart-account-requests',
  headers: {},
  requestContext: {},
} as unknown as APIGatewayProxyEvent;

describe('every HTML answer carries the security headers', () => {
  it('the activation page', () => {
    const page = renderActivationPage({
      locale: Locale.EN,
      accountName: 'Acme BV',
      accountDomain: 'acme.example',
      partnerName: 'Partner BV',
      expiresAt: '2027-02-23T10:00:00.000Z',
      actionPath: '/activate/abc',
    });
    expectHtmlSecurityHeaders(page.headers);
  });

  it.each(Object.values(ResultPage))('the %s result page, also as a 503', (kind) => {
    expectHtmlSecurityHeaders(renderResultPage(kind).headers);
    expectHtmlSecurityHeaders(
      renderResultPage(kind, { statusCode: 503, retryAfterSeconds: 1 }).headers,
    );
  });

  it.each([
    ['the console page', '/', undefined],
    ['a console module', '/console/app.js', 'app.js'],
    ['a console style sheet', '/console/app.css', 'app.css'],
    ['an unknown console file', '/console/nope.js', 'nope.js'],
  ])('%s', async (_what, path, file) => {
    const response = await serveConsole(consoleEvent(path, file), context);
    expectHtmlSecurityHeaders(response.headers);
  });
});

describe('every JSON answer says nosniff', () => {
  it('a resource', () => {
    expect(json(200, {}).headers?.['X-Content-Type-Options']).toBe('nosniff');
  });

  it('a resource whose handler sets its own headers', () => {
    const response = json(202, {}, { Location: '/v1/x', 'Cache-Control': 'public, max-age=300' });
    expect(response.headers).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      Location: '/v1/x',
      'Cache-Control': 'public, max-age=300',
    });
  });

  it.each([
    ['a validation problem', new ValidationFailed([{ path: 'limit', message: 'Too big.' }]), 400],
    ['a not-found problem', new NotFound('No such request.'), 404],
    ['an internal error', new Error('boom'), 500],
  ])('%s', async (_what, error, status) => {
    const failing = apiHandler(async () => {
      throw error;
    });
    const response = await failing(apiEvent, context);
    expect(response.statusCode).toBe(status);
    expect(response.headers).toMatchObject({
      'Content-Type': 'application/problem+json',
      'X-Content-Type-Options': 'nosniff',
    });
  });

  it('the health check and the OpenAPI document', async () => {
    for (const response of [await health({}, context), await openapi({}, context)]) {
      expect(response.headers).toMatchObject({
        'Content-Type': 'application/json',
        'X-Content-Type-Options': 'nosniff',
      });
    }
  });
});
