import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { SmartAccountRequest } from '../domain/smart-account-request.ts';
import { type HtmlResponse, ResultPage, renderResultPage } from '../messages/pages.ts';
import { RequestStatus } from '../shared/status.ts';

/** Codes are 43 base64url characters; anything else is a miss without a table read. */
export const CODE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The client a miss is counted against: API Gateway's view of the caller's address. */
export const clientOf = (event: APIGatewayProxyEvent): string =>
  event.requestContext.identity?.sourceIp ?? 'unknown';

/**
 * Whether a POST may come from our own page: the one defence against cross-site posts. No form
 * token is needed on top: the code in the URL is the secret, and a token derived from it would
 * be known to whoever knows the link. Our pages send `Referrer-Policy: no-referrer`, and under
 * that policy browsers send `Origin: null` even for a same-origin form post; they then say where
 * it came from in `Sec-Fetch-Site`. So a real origin must be ours, and a fetch-site other than
 * `same-origin` (or `none`: not started by any site) is refused. A client that sends neither
 * header is no browser acting for another site: it holds the link itself.
 */
export const isOwnOriginPost = (
  headers: Readonly<Record<string, string | undefined>>,
  publicBaseUrl: string,
): boolean => {
  const origin = headers.origin;
  if (origin && origin !== 'null' && origin !== new URL(publicBaseUrl).origin) return false;
  const site = headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
};

/** Form action, including an API Gateway stage prefix that PUBLIC_BASE_URL may carry. */
export const actionPathFor = (publicBaseUrl: string, code: string): string =>
  `${new URL(publicBaseUrl).pathname.replace(/\/+$/, '')}/activate/${code}`;

/** The page for a request that is no longer waiting for the customer. */
export const closedPage = (request: SmartAccountRequest): HtmlResponse => {
  const input = {
    locale: request.locale,
    accountName: request.accountName,
    accountDomain: request.accountDomain,
  };
  switch (request.status) {
    case RequestStatus.ACTIVE:
      return renderResultPage(ResultPage.ALREADY_ACTIVE, input);
    case RequestStatus.DECLINED:
      return renderResultPage(ResultPage.ALREADY_DECLINED, input);
    case RequestStatus.CANCELLED:
      return renderResultPage(ResultPage.CANCELLED, input);
    case RequestStatus.EXPIRED:
      return renderResultPage(ResultPage.EXPIRED, input);
    default:
      return renderResultPage(ResultPage.FAILED, input);
  }
};
