import { webhookEndpoints } from '../../adapters/wiring.ts';
import { toEndpointResource } from '../../domain/webhook-endpoints.ts';
import { rotateSecret } from '../../domain/webhook-management.ts';
import { apiHandler, partnerIdOf } from '../../http/api-handler.ts';
import { json } from '../../http/responses.ts';
import { newWebhookSecret } from '../../webhooks/signature.ts';
import { endpointIdOf } from './path.ts';

const endpoints = webhookEndpoints();

/** `POST …/{id}/rotate-secret`: a new secret, shown once; the old one signs for 24 h more. */
export const handler = apiHandler(async (event) => {
  const secret = newWebhookSecret();
  const rotated = await rotateSecret(endpoints, partnerIdOf(event), endpointIdOf(event), secret);
  return json(200, { ...toEndpointResource(rotated), secret });
});
