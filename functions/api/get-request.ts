import { requestStore } from '../adapters/wiring.ts';
import { toResource } from '../domain/smart-account-request.ts';
import { apiHandler, partnerIdOf, requestIdOf } from '../http/api-handler.ts';
import { json } from '../http/responses.ts';
import { NotFound } from '../shared/errors.ts';

const requests = requestStore();

export const handler = apiHandler(async (event) => {
  const partnerId = partnerIdOf(event);
  const id = requestIdOf(event);
  const request = await requests.get(id);
  // Another partner's request answers exactly like an unknown id.
  if (!request || request.partnerId !== partnerId) throw new NotFound(`No request ${id}`);
  return json(200, toResource(request));
});
