import { apiKeys } from '../../adapters/wiring.ts';
import { listKeys } from '../../domain/api-key-management.ts';
import { toApiKeyResource } from '../../domain/api-keys.ts';
import { apiHandler, partnerIdOf } from '../../http/api-handler.ts';
import { json } from '../../http/responses.ts';

const keys = apiKeys();

/** `GET /v1/api-keys`: the caller's keys, oldest first, never the keys themselves. */
export const handler = apiHandler(async (event) => {
  const items = await listKeys(keys, partnerIdOf(event));
  return json(200, { items: items.map(toApiKeyResource) });
});
