import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { type HtmlResponse, ResultPage, renderResultPage } from '../messages/pages.ts';
import { newErrorId } from '../shared/crypto.ts';
import { logger } from '../shared/logger.ts';

type PageFunction = (event: APIGatewayProxyEvent) => Promise<HtmlResponse>;

/** Customer pages never show a stack trace: an error page with an errorId that is also logged. */
export const pageHandler = (fn: PageFunction) =>
  middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(httpHeaderNormalizer())
    .handler(async (event) => {
      try {
        const page = await fn(event);
        return event.httpMethod === 'HEAD' ? { ...page, body: '' } : page;
      } catch (error) {
        const errorId = newErrorId();
        logger.error('activation page failed', { errorId, error, method: event.httpMethod });
        return renderResultPage(ResultPage.ERROR, { errorId });
      }
    });
