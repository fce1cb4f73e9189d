import { deliveries, deliveryStarter, webhookEndpoints } from '../../adapters/wiring.ts';
import { toDeliveryResource } from '../../domain/webhook-endpoints.ts';
import { sendTestEvent } from '../../domain/webhook-management.ts';
import { apiHandler, partnerIdOf } from '../../http/api-handler.ts';
import { json } from '../../http/responses.ts';
import { endpointIdOf } from './path.ts';

const deps = {
  endpoints: webhookEndpoints(),
  deliveries: deliveries(),
  starter: deliveryStarter(),
};

/** `POST …/{id}/test`: a `webhook.test` event is delivered to this endpoint. */
export const handler = apiHandler(async (event) => {
  const delivery = await sendTestEvent(deps, partnerIdOf(event), endpointIdOf(event));
  return json(202, toDeliveryResource(delivery));
});
