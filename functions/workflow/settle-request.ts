import { notifications, partnerStore, requestStore } from '../adapters/wiring.ts';
import { Settlement } from '../domain/settlement.ts';
import { requiredString } from '../shared/event-fields.ts';

const settlement = new Settlement(requestStore(), partnerStore(), notifications());

export const handler = async (event: unknown): Promise<{ status: string }> => ({
  status: await settlement.settle(requiredString(event, 'requestId')),
});
