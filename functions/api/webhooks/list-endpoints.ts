import { webhookEndpoints } from '../../adapters/wiring.ts';
import { toEndpointResource } from '../../domain/webhook-endpoints.ts';
import { apiHandler, partnerIdOf } from '../../http/api-handler.ts';
import { json } from '../../http/responses.ts';

const endpoints = webhookEndpoints();

/** `GET /v1/webhook-endpoints`: the caller's endpoints, oldest first, without secrets. */
export const handler = apiHandler(async (event) => {
  const items = await endpoints.list(partnerIdOf(event));
  return json(200, { items: items.map(toEndpointResource) });
});
