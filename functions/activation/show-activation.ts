import { attemptLimiter, requestStore } from '../adapters/wiring.ts';
import { findByActivationCode } from '../domain/activation-decisions.ts';
import { ResultPage, renderActivationPage, renderResultPage } from '../messages/pages.ts';
import { config } from '../shared/config.ts';
import { RequestStatus } from '../shared/status.ts';
import { actionPathFor, CODE_PATTERN, clientOf, closedPage } from './customer-pages.ts';
import { pageHandler } from './page-handler.ts';

const requests = requestStore();
const limiter = attemptLimiter();

/**
 * GET/HEAD /activate/{code}: shows the request with Activate and Decline forms. Reading never
 * changes a request (mail scanners prefetch links, some run scripts); only misses are counted.
 */
export const handler = pageHandler(async (event) => {
  const code = event.pathParameters?.code ?? '';
  const client = clientOf(event);
  const retryAfterSeconds = await limiter.blockedFor(client);
  if (retryAfterSeconds > 0)
    return renderResultPage(ResultPage.TOO_MANY_ATTEMPTS, { retryAfterSeconds });
  const request = CODE_PATTERN.test(code) ? await findByActivationCode(requests, code) : undefined;
  if (!request) {
    await limiter.recordMiss(client);
    return renderResultPage(ResultPage.NOT_FOUND);
  }
  if (request.status !== RequestStatus.PENDING_ACTIVATION) return closedPage(request);
  return renderActivationPage({
    locale: request.locale,
    accountName: request.accountName,
    accountDomain: request.accountDomain,
    partnerName: request.partnerName,
    noteToCustomer: request.noteToCustomer,
    userEmails: request.userEmails,
    expiresAt: request.expiresAt,
    actionPath: actionPathFor(config.publicBaseUrl(), code),
  });
});
