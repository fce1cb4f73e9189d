import { eventPublisher, requestStore } from '../adapters/wiring.ts';
import { extendRequest } from '../domain/extension.ts';
import { extendRequestInput } from '../domain/request-schema.ts';
import { toResource } from '../domain/smart-account-request.ts';
import { apiHandler, partnerIdOf, requestIdOf } from '../http/api-handler.ts';
import { readJsonBody } from '../http/request-body.ts';
import { json } from '../http/responses.ts';
import { parseWith } from '../http/validation.ts';
import { config } from '../shared/config.ts';

const requests = requestStore();
const reminderOffsets = config.reminderOffsetsSeconds();
const events = eventPublisher();

/** `POST …/{id}/extend`: a later expiry for a pending request (functions/domain/extension.ts). */
export const handler = apiHandler(async (event) => {
  const partnerId = partnerIdOf(event);
  const requestId = requestIdOf(event);
  const { expiresAt } = parseWith(extendRequestInput, readJsonBody(event));
  const request = await extendRequest(
    requests,
    partnerId,
    requestId,
    new Date(expiresAt),
    reminderOffsets,
  );
  await events.publishOrLeaveToSweep(request);
  return json(200, toResource(request));
});
