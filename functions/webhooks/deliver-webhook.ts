import { postWebhook } from '../adapters/webhook-sender.ts';
import { deliveries, webhookEndpoints } from '../adapters/wiring.ts';
import { type AttemptPlan, DeliveryAttempts } from '../domain/webhook-delivery.ts';
import { config } from '../shared/config.ts';
import { requiredString } from '../shared/event-fields.ts';
import { businessMetrics } from '../shared/metrics.ts';
import { taskHandler } from '../shared/task-handler.ts';
import { signWebhook } from './signature.ts';

// Built here, not in the shared wiring: only this bundle carries the sender and its address
// checks (ipaddr.js).
const attempts = new DeliveryAttempts(
  deliveries(),
  webhookEndpoints(),
  (url, body, headers) =>
    postWebhook(url, body, headers, { allowLocal: config.webhookAllowLocal() }),
  signWebhook,
  config.webhookRetrySeconds(),
);

/** `Attempt` of statemachines/webhook-delivery.asl.json: one POST of one delivery. */
export const handler = taskHandler(async (event): Promise<AttemptPlan> => {
  const { done, waitSeconds, outcome } = await attempts.attempt(
    requiredString(event, 'endpointId'),
    requiredString(event, 'eventId'),
  );
  businessMetrics.webhookAttempt(outcome);
  return { done, waitSeconds };
});
