import { deliveries, webhookEndpoints } from '../../adapters/wiring.ts';
import { toDeliveryResource } from '../../domain/webhook-endpoints.ts';
import { endpointDeliveries } from '../../domain/webhook-management.ts';
import { listDeliveriesQuery } from '../../domain/webhook-schemas.ts';
import { apiHandler, partnerIdOf } from '../../http/api-handler.ts';
import { json } from '../../http/responses.ts';
import { parseWith, queryOf } from '../../http/validation.ts';
import { endpointIdOf } from './path.ts';

const deps = { endpoints: webhookEndpoints(), deliveries: deliveries() };

/** `GET …/{id}/deliveries`: one page, newest first. */
export const handler = apiHandler(async (event) => {
  const partnerId = partnerIdOf(event);
  const endpointId = endpointIdOf(event);
  const query = parseWith(listDeliveriesQuery, queryOf(event.queryStringParameters));
  const page = await endpointDeliveries(deps, partnerId, endpointId, query);
  return json(200, { items: page.items.map(toDeliveryResource), nextCursor: page.nextCursor });
});
