import { apiKeys, authorizerCache } from '../../adapters/wiring.ts';
import { revokeKey } from '../../domain/api-key-management.ts';
import { apiHandler, partnerIdOf } from '../../http/api-handler.ts';
import { noContent } from '../../http/responses.ts';
import { apiKeyIdOf } from './path.ts';

const deps = { keys: apiKeys(), cache: authorizerCache() };

/** `DELETE /v1/api-keys/{id}`: the key answers 401 from the next request on. */
export const handler = apiHandler(async (event) => {
  await revokeKey(deps, partnerIdOf(event), apiKeyIdOf(event));
  return noContent();
});
