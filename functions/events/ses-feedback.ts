import * as z from 'zod';
import { requestStore, workflow } from '../adapters/wiring.ts';
import { failUndeliverable } from '../domain/delivery-feedback.ts';
import { logger } from '../shared/logger.ts';

const requests = requestStore();
const signals = workflow();

/** The part of an SES event (configuration set -> EventBridge) this handler needs. */
const sesEvent = z.object({
  detail: z.object({
    eventType: z.enum(['Bounce', 'Complaint']),
    bounce: z.object({ bounceType: z.string(), bounceSubType: z.string().optional() }).optional(),
    mail: z.object({
      messageId: z.string(),
      tags: z.record(z.string(), z.array(z.string())).default({}),
    }),
  }),
});

/** Transient bounces (mailbox full, ...) may still deliver; only these end a request. */
const isPermanent = (detail: z.infer<typeof sesEvent>['detail']): boolean =>
  detail.eventType === 'Complaint' || detail.bounce?.bounceType === 'Permanent';

export const handler = async (event: unknown): Promise<{ failed: boolean }> => {
  const parsed = sesEvent.safeParse(event);
  if (!parsed.success) {
    logger.warn('ignored an SES event of unexpected shape');
    return { failed: false };
  }
  const { detail } = parsed.data;
  const requestId = detail.mail.tags.requestId?.[0];
  const purpose = detail.mail.tags.purpose?.[0];
  if (!requestId || purpose !== 'activation' || !isPermanent(detail)) return { failed: false };
  const reason = [detail.eventType, detail.bounce?.bounceType, detail.bounce?.bounceSubType]
    .filter(Boolean)
    .join(':');
  logger.info('activation e-mail undeliverable', {
    requestId,
    reason,
    messageId: detail.mail.messageId,
  });
  return { failed: await failUndeliverable(requests, signals, { requestId, reason }) };
};
