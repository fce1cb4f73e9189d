import { statusCounts } from '../adapters/wiring.ts';
import { apiHandler, partnerIdOf } from '../http/api-handler.ts';
import { json } from '../http/responses.ts';

const counts = statusCounts();

/** `GET …/counts`: the caller's requests per status, from its counters (one read). */
export const handler = apiHandler(async (event) =>
  json(200, await counts.read(partnerIdOf(event))),
);
