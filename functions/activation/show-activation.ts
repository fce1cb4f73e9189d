import { attemptLimiter, requestStore } from '../adapters/wiring.ts';
import { findByActivationCode } from '../domain/activation-decisions.ts';
import { lookupWithinLimit } from '../domain/attempt-limiter.ts';
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
  const lookup = await lookupWithinLimit(limiter, client, async () =>
    CODE_PATTERN.test(code) ? findByActivationCode(requests, code) : undefined,
  );
  if (!('found' in lookup)) {
    return renderResultPage(ResultPage.TOO_MANY_ATTEMPTS, {
      retryAfterSeconds: lookup.blockedForSeconds,
    });
  }
  const request = lookup.found;
  if (!request) return renderResultPage(ResultPage.NOT_FOUND);
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
