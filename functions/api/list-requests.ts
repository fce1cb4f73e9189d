import { requestStore } from '../adapters/wiring.ts';
import { listRequestsQuery } from '../domain/request-schema.ts';
import { toResource } from '../domain/smart-account-request.ts';
import { apiHandler, partnerIdOf } from '../http/api-handler.ts';
import { json } from '../http/responses.ts';
import { parseWith, queryOf } from '../http/validation.ts';

const requests = requestStore();

export const handler = apiHandler(async (event) => {
  const partnerId = partnerIdOf(event);
  const query = parseWith(listRequestsQuery, queryOf(event.queryStringParameters));
  const page = await requests.listByPartner(partnerId, query);
  return json(200, { items: page.items.map(toResource), nextCursor: page.nextCursor });
});
