import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { retryAfterFor } from '../http/problem.ts';
import { type HtmlResponse, ResultPage, renderResultPage } from '../messages/pages.ts';
import { newErrorId } from '../shared/crypto.ts';
import { DependencyUnavailable, PayloadTooLarge } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { observedMiddy } from '../shared/observability.ts';

type PageFunction = (event: APIGatewayProxyEvent) => Promise<HtmlResponse>;

/** Customer pages never show a stack trace: an error page with an errorId that is also logged. */
export const pageHandler = (fn: PageFunction) =>
  observedMiddy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(httpHeaderNormalizer())
    .handler(async (event) => {
      try {
        const page = await fn(event);
        return event.httpMethod === 'HEAD' ? { ...page, body: '' } : page;
      } catch (error) {
        // An oversized form is the client's fault: a 4xx, not an error page.
        if (error instanceof PayloadTooLarge) {
          return renderResultPage(ResultPage.INVALID_REQUEST, { statusCode: 413 });
        }
        const errorId = newErrorId();
        // A dependency that is down for now: 503 with Retry-After, so the customer tries again.
        if (error instanceof DependencyUnavailable) {
          logger.warn('activation page unavailable', { errorId, error, method: event.httpMethod });
          return renderResultPage(ResultPage.ERROR, {
            errorId,
            statusCode: 503,
            retryAfterSeconds: retryAfterFor(error),
          });
        }
        logger.error('activation page failed', { errorId, error, method: event.httpMethod });
        return renderResultPage(ResultPage.ERROR, { errorId });
      }
    });
