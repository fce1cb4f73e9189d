import { requestStore, workflow } from '../adapters/wiring.ts';
import { Cancellation } from '../domain/cancellation.ts';
import { toResource } from '../domain/smart-account-request.ts';
import { apiHandler, partnerIdOf, requestIdOf } from '../http/api-handler.ts';
import { json } from '../http/responses.ts';

const cancellation = new Cancellation(requestStore(), workflow());

export const handler = apiHandler(async (event) => {
  const request = await cancellation.cancel(partnerIdOf(event), requestIdOf(event));
  return json(200, toResource(request));
});
