import { eventLog, requestStore, workflow } from '../adapters/wiring.ts';
import { failUndeliverable } from '../domain/delivery-feedback.ts';
import { emailEntry } from '../domain/event-publisher.ts';
import { TimelineType } from '../domain/events.ts';
import { objectField, optionalString } from '../shared/event-fields.ts';
import { logger } from '../shared/logger.ts';
import { taskHandler } from '../shared/task-handler.ts';

const requests = requestStore();
const signals = workflow();
const timeline = eventLog();

/** SES puts each message tag's values in an array: `tags: { requestId: ['sar_...'] }`. */
const tagOf = (mail: Record<string, unknown> | undefined, name: string): string | undefined => {
  const values = objectField(mail, 'tags')?.[name];
  return Array.isArray(values) && typeof values[0] === 'string' ? values[0] : undefined;
};

/**
 * SES bounce/complaint events (configuration set -> EventBridge). Only a permanent bounce or
 * a complaint on an activation e-mail ends a request: transient bounces may still deliver.
 */
export const handler = taskHandler(async (event): Promise<{ failed: boolean }> => {
  const detail = objectField(event, 'detail');
  const eventType = optionalString(detail, 'eventType');
  const mail = objectField(detail, 'mail');
  const bounce = objectField(detail, 'bounce');
  const requestId = tagOf(mail, 'requestId');
  const permanent =
    eventType === 'Complaint' ||
    (eventType === 'Bounce' && optionalString(bounce, 'bounceType') === 'Permanent');
  const purpose = tagOf(mail, 'purpose');
  if (requestId && (eventType === 'Bounce' || eventType === 'Complaint')) {
    const destination = mail?.destination;
    const to = Array.isArray(destination) ? String(destination[0]) : '';
    await timeline.recordEmail(
      requestId,
      emailEntry(TimelineType.EMAIL_BOUNCED, purpose ?? 'unknown', to),
    );
  }
  if (!requestId || purpose !== 'activation' || !permanent) {
    return { failed: false };
  }
  const reason = [
    eventType,
    optionalString(bounce, 'bounceType'),
    optionalString(bounce, 'bounceSubType'),
  ]
    .filter(Boolean)
    .join(':');
  logger.info('activation e-mail undeliverable', {
    requestId,
    reason,
    messageId: optionalString(mail, 'messageId'),
  });
  return { failed: await failUndeliverable(requests, signals, { requestId, reason }) };
});
