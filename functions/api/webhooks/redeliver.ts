import { deliveries, deliveryStarter, webhookEndpoints } from '../../adapters/wiring.ts';
import { toDeliveryResource } from '../../domain/webhook-endpoints.ts';
import { redeliver } from '../../domain/webhook-management.ts';
import { apiHandler, partnerIdOf } from '../../http/api-handler.ts';
import { json } from '../../http/responses.ts';
import { endpointIdOf, eventIdOf } from './path.ts';

const deps = {
  endpoints: webhookEndpoints(),
  deliveries: deliveries(),
  starter: deliveryStarter(),
};

/** `POST …/{id}/deliveries/{eventId}/redeliver`: delivered again from the first attempt. */
export const handler = apiHandler(async (event) => {
  const delivery = await redeliver(deps, partnerIdOf(event), endpointIdOf(event), eventIdOf(event));
  return json(202, toDeliveryResource(delivery));
});
