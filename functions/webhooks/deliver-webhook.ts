import { deliveryAttempts } from '../adapters/wiring.ts';
import type { AttemptPlan } from '../domain/webhook-delivery.ts';
import { requiredString } from '../shared/event-fields.ts';
import { businessMetrics } from '../shared/metrics.ts';
import { taskHandler } from '../shared/task-handler.ts';

const attempts = deliveryAttempts();

/** `Attempt` of statemachines/webhook-delivery.asl.json: one POST of one delivery. */
export const handler = taskHandler(async (event): Promise<AttemptPlan> => {
  const { done, waitSeconds, outcome } = await attempts.attempt(
    requiredString(event, 'endpointId'),
    requiredString(event, 'eventId'),
  );
  businessMetrics.webhookAttempt(outcome);
  return { done, waitSeconds };
});
