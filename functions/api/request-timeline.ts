import { eventLog, requestStore } from '../adapters/wiring.ts';
import { apiHandler, partnerIdOf, requestIdOf } from '../http/api-handler.ts';
import { json } from '../http/responses.ts';
import { NotFound } from '../shared/errors.ts';

const requests = requestStore();
const timeline = eventLog();

/** `GET …/{id}/events`: the request's events and e-mails, oldest first. */
export const handler = apiHandler(async (event) => {
  const requestId = requestIdOf(event);
  const request = await requests.get(requestId);
  if (!request || request.partnerId !== partnerIdOf(event)) {
    throw new NotFound(`No request ${requestId}`);
  }
  return json(200, { items: await timeline.timeline(requestId) });
});
