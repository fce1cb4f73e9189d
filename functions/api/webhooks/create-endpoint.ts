import { webhookAddressCheck } from '../../adapters/webhook-address-check.ts';
import { webhookEndpoints } from '../../adapters/wiring.ts';
import { toEndpointResource } from '../../domain/webhook-endpoints.ts';
import { addEndpoint } from '../../domain/webhook-management.ts';
import { addEndpointInput } from '../../domain/webhook-schemas.ts';
import { apiHandler, partnerIdOf } from '../../http/api-handler.ts';
import { readJsonBody } from '../../http/request-body.ts';
import { json } from '../../http/responses.ts';
import { parseWith } from '../../http/validation.ts';
import { newWebhookSecret } from '../../webhooks/signature.ts';

const deps = {
  endpoints: webhookEndpoints(),
  checkAddress: webhookAddressCheck(),
  newSecret: newWebhookSecret,
};

/** `POST /v1/webhook-endpoints`: the only answer, with the rotation's, that shows the secret. */
export const handler = apiHandler(async (event) => {
  const partnerId = partnerIdOf(event);
  const input = parseWith(addEndpointInput, readJsonBody(event));
  const { endpoint, secret } = await addEndpoint(deps, partnerId, input);
  return json(201, { ...toEndpointResource(endpoint), secret });
});
