import { apiKeys } from '../../adapters/wiring.ts';
import { createKey } from '../../domain/api-key-management.ts';
import { createApiKeyInput } from '../../domain/api-key-schemas.ts';
import { toIssuedKeyResource } from '../../domain/api-keys.ts';
import { apiHandler, partnerIdOf } from '../../http/api-handler.ts';
import { readJsonBody } from '../../http/request-body.ts';
import { json } from '../../http/responses.ts';
import { parseWith } from '../../http/validation.ts';

const keys = apiKeys();

/** `POST /v1/api-keys`: the only answer that shows the key. */
export const handler = apiHandler(async (event) => {
  const partnerId = partnerIdOf(event);
  const input = parseWith(createApiKeyInput, readJsonBody(event));
  return json(201, toIssuedKeyResource(await createKey(keys, partnerId, input)));
});
