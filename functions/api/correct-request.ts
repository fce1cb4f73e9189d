import { eventPublisher, requestCorrections } from '../adapters/wiring.ts';
import { correctRequestInput } from '../domain/request-schema.ts';
import { toResource } from '../domain/smart-account-request.ts';
import { apiHandler, partnerIdOf, requestIdOf } from '../http/api-handler.ts';
import { readJsonBody } from '../http/request-body.ts';
import { json } from '../http/responses.ts';
import { parseWith } from '../http/validation.ts';

const corrections = requestCorrections();
const events = eventPublisher();

/** `PATCH …/{id}`: corrects a pending request's customer side (functions/domain/correction.ts). */
export const handler = apiHandler(async (event) => {
  const {
    accountName: _,
    accountDomain: __,
    ...fields
  } = parseWith(correctRequestInput, readJsonBody(event));
  const request = await corrections.correct(partnerIdOf(event), requestIdOf(event), fields);
  await events.publishOrLeaveToSweep(request);
  return json(200, toResource(request));
});
