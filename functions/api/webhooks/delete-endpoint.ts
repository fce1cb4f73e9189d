import { webhookEndpoints } from '../../adapters/wiring.ts';
import { removeEndpoint } from '../../domain/webhook-management.ts';
import { apiHandler, partnerIdOf } from '../../http/api-handler.ts';
import { noContent } from '../../http/responses.ts';
import { endpointIdOf } from './path.ts';

const endpoints = webhookEndpoints();

/** `DELETE /v1/webhook-endpoints/{id}`: nothing more is delivered to it. */
export const handler = apiHandler(async (event) => {
  await removeEndpoint(endpoints, partnerIdOf(event), endpointIdOf(event));
  return noContent();
});
