import { EmailRejected, NotFound } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { RequestStatus } from '../shared/status.ts';
import type { Notifications } from './notifications.ts';
import type { PartnerStore, RequestStore } from './ports.ts';
import { daysLeft, nextReminderAfter } from './reminders.ts';
import type { SmartAccountRequest } from './smart-account-request.ts';

/** The link the customer already has (activation-mail.ts derives it from the request's nonce). */
export type LinkOf = (request: SmartAccountRequest) => Promise<string>;

/**
 * Sends the reminder that is due (`nextReminderAt` has passed) and plans the next one. Each
 * e-mail is recorded under a key naming the reminder, so a retried Wake sends only what is
 * missing. The status is read again right before each e-mail: a decision or cancel that landed
 * meanwhile stops it (contract: no reminder after the request closed). Only the send itself can
 * still cross a decision, which then happened while the mail was already on its way.
 */
export class ReminderMail {
  constructor(
    private readonly requests: RequestStore,
    private readonly partners: PartnerStore,
    private readonly notifications: Notifications,
    private readonly linkOf: LinkOf,
    private readonly offsetsSeconds: readonly number[],
  ) {}

  /** True when the customer's reminder went out in this call. */
  async remind(request: SmartAccountRequest, now: Date): Promise<boolean> {
    const due = request.nextReminderAt;
    if (!due) return false;
    let reminded = false;
    // Planned from now, not from `due`: a late wake that finds several overdue sends one.
    const next = nextReminderAfter(request.expiresAt, this.offsetsSeconds, now);
    // Before the first e-mail went out (or while a PATCH's new link is unsent) the customer has
    // no link to be reminded of; the activation e-mail itself is on its way.
    if (request.activationSentAt && request.codeNonce) {
      reminded = await this.sendOnce(request.id, {
        key: `reminder:${due}`,
        send: async (current) => {
          await this.notifications.sendReminder(
            current,
            await this.linkOf(current),
            daysLeft(current.expiresAt, now),
          );
          return current.customerEmail;
        },
        // Counted in remindersSent, once per key.
        record: (key) => this.requests.recordReminder(request.id, key),
      });
      // With the last reminder the partner hears that the request expires soon.
      if (reminded && next === null) {
        await this.sendOnce(request.id, {
          key: `expiring-partner:${due}`,
          send: async (current) => {
            const partner = await this.partners.get(current.partnerId);
            if (!partner) throw new NotFound(`Partner ${current.partnerId} does not exist`);
            await this.notifications.sendExpiringSoon(current, partner.contactEmail);
            return partner.contactEmail;
          },
          record: (key) => this.requests.recordSentEmail(request.id, key),
        });
      }
    }
    await this.requests.planNextReminder(request.id, { from: due, to: next });
    return reminded;
  }

  /** False when the request closed before this e-mail could go out, or SES refused it. */
  private async sendOnce(
    requestId: string,
    email: {
      readonly key: string;
      /** Sends and answers the recipient. */
      readonly send: (current: SmartAccountRequest) => Promise<string>;
      readonly record: (key: string) => Promise<void>;
    },
  ): Promise<boolean> {
    const current = await this.requests.get(requestId);
    if (current?.status !== RequestStatus.PENDING_ACTIVATION) return false;
    if (current.sentEmails?.has(email.key)) return true;
    try {
      await email.send(current);
    } catch (error) {
      if (!(error instanceof EmailRejected)) throw error;
      // SES refuses the address for good. The request goes on (a bounce of the activation
      // e-mail is what fails a request), and this reminder is not tried again.
      logger.warn('reminder e-mail refused', { requestId, key: email.key });
      await this.requests.recordSentEmail(requestId, email.key);
      return false;
    }
    await email.record(email.key);
    return true;
  }
}
