import * as z from 'zod';
import { notifications, partnerStore, requestStore } from '../adapters/wiring.ts';
import { Settlement } from '../domain/settlement.ts';

const settlement = new Settlement(requestStore(), partnerStore(), notifications());

const input = z.object({ requestId: z.string().min(1) });

export const handler = async (event: unknown): Promise<{ status: string }> => {
  const { requestId } = input.parse(event);
  return { status: await settlement.settle(requestId) };
};
