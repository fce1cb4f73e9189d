import { activationDecisions, attemptLimiter } from '../adapters/wiring.ts';
import { Decision, DecisionResult } from '../domain/activation-decisions.ts';
import { lookupWithinLimit } from '../domain/attempt-limiter.ts';
import { readFormBody } from '../http/request-body.ts';
import {
  activationFormField,
  MAX_DECLINE_REASON_LENGTH,
  ResultPage,
  renderResultPage,
} from '../messages/pages.ts';
import { config } from '../shared/config.ts';
import { RequestStatus } from '../shared/status.ts';
import { CODE_PATTERN, clientOf, closedPage, isOwnOriginPost } from './customer-pages.ts';
import { pageHandler } from './page-handler.ts';

const decisions = activationDecisions();
const limiter = attemptLimiter();

const decisionValues: readonly string[] = Object.values(Decision);

/**
 * POST /activate/{code} with decision=activate|decline; other fields are ignored. Refuses
 * cross-site posts (Origin or Sec-Fetch-Site not ours). The conditional write decides; a
 * repeat says what happened.
 */
/**
 * The optional decline reason: trimmed, null when empty, undefined (a 400 page) when too long
 * or not valid text. Its characters are kept as typed; every output escapes them.
 */
const declineReasonOf = (value: string | null): string | null | undefined => {
  const trimmed = (value ?? '').trim();
  if (trimmed === '') return null;
  if (trimmed.length > MAX_DECLINE_REASON_LENGTH || !trimmed.isWellFormed()) return undefined;
  return trimmed;
};

export const handler = pageHandler(async (event) => {
  const code = event.pathParameters?.code ?? '';
  if (!isOwnOriginPost(event.headers, config.publicBaseUrl())) {
    return renderResultPage(ResultPage.FORBIDDEN);
  }
  const form = readFormBody(event);
  const decision = form.get(activationFormField.DECISION) ?? '';
  if (!decisionValues.includes(decision)) return renderResultPage(ResultPage.INVALID_REQUEST);
  const reason = declineReasonOf(form.get(activationFormField.REASON));
  if (reason === undefined) return renderResultPage(ResultPage.INVALID_REQUEST);
  const lookup = await lookupWithinLimit(limiter, clientOf(event), async () =>
    CODE_PATTERN.test(code)
      ? decisions.decide(code, decision as Decision, decision === Decision.DECLINE ? reason : null)
      : undefined,
  );
  if (!('found' in lookup)) {
    return renderResultPage(ResultPage.TOO_MANY_ATTEMPTS, {
      retryAfterSeconds: lookup.blockedForSeconds,
    });
  }
  const outcome = lookup.found;
  if (!outcome) return renderResultPage(ResultPage.NOT_FOUND);
  const { request } = outcome;
  if (outcome.result === DecisionResult.ALREADY_CLOSED) return closedPage(request);
  const page = request.status === RequestStatus.ACTIVE ? ResultPage.ACTIVATED : ResultPage.DECLINED;
  return renderResultPage(page, {
    locale: request.locale,
    accountName: request.accountName,
    accountDomain: request.accountDomain,
  });
});
