import { requestStore } from '../adapters/wiring.ts';
import { type WakePlan, wakeRequest } from '../domain/schedule.ts';
import { requiredString } from '../shared/event-fields.ts';
import { taskHandler } from '../shared/task-handler.ts';

const requests = requestStore();

/** `Wake`: reads the request and answers what is due and how long to wait (functions/domain/schedule.ts). */
export const handler = taskHandler(
  async (event): Promise<WakePlan> =>
    wakeRequest(requests, requiredString(event, 'requestId'), new Date()),
);
