import { type EmailData, EmailKind, renderEmail } from '../messages/emails.ts';
import { logger } from '../shared/logger.ts';
import { RequestStatus } from '../shared/status.ts';
import type { Mailer, Partner } from './ports.ts';
import type { SmartAccountRequest } from './smart-account-request.ts';

/** One e-mail to send: its kind, recipient and a key that is unique within the request. */
export interface PlannedEmail {
  readonly key: string;
  readonly kind: EmailKind;
  readonly to: string;
}

/** Closes that the partner already learned about from an error response: no e-mail. */
const SILENT_FAILURES = new Set(['ExecutionNotStarted']);

/** Who hears about an outcome (contract's e-mail table). Each user gets a mail of their own. */
export const planOutcomeEmails = (
  request: SmartAccountRequest,
  partner: Partner,
): PlannedEmail[] => {
  switch (request.status) {
    case RequestStatus.ACTIVE:
      return [
        { key: 'activated-partner', kind: EmailKind.ACTIVATED_PARTNER, to: partner.contactEmail },
        ...request.userEmails.map((email) => ({
          key: `activated-user:${email}`,
          kind: EmailKind.ACTIVATED_USER,
          to: email,
        })),
      ];
    case RequestStatus.DECLINED:
      return [
        { key: 'declined-partner', kind: EmailKind.DECLINED_PARTNER, to: partner.contactEmail },
      ];
    case RequestStatus.CANCELLED:
      // A customer never hears of a request only through its withdrawal (contract).
      return request.activationSentAt
        ? [
            {
              key: 'cancelled-customer',
              kind: EmailKind.CANCELLED_CUSTOMER,
              to: request.customerEmail,
            },
          ]
        : [];
    case RequestStatus.EXPIRED:
      return [
        { key: 'expired-customer', kind: EmailKind.EXPIRED_CUSTOMER, to: request.customerEmail },
        { key: 'expired-partner', kind: EmailKind.EXPIRED_PARTNER, to: partner.contactEmail },
      ];
    case RequestStatus.FAILED:
      return SILENT_FAILURES.has(request.closeReason ?? '')
        ? []
        : [{ key: 'failed-partner', kind: EmailKind.FAILED_PARTNER, to: partner.contactEmail }];
    default:
      return [];
  }
};

const emailData = (request: SmartAccountRequest, activationUrl?: string): EmailData => ({
  locale: request.locale,
  accountName: request.accountName,
  accountDomain: request.accountDomain,
  customerEmail: request.customerEmail,
  partnerName: request.partnerName,
  noteToCustomer: request.noteToCustomer,
  noteToUsers: request.noteToUsers,
  userEmails: request.userEmails,
  expiresAt: request.expiresAt,
  activationUrl,
  failureReason: request.closeReason ?? 'Unknown',
  declineReason: request.declineReason ?? null,
  requestId: request.id,
});

/** Where a sent e-mail is noted for the request's timeline (`email.sent`). */
export type EmailNote = (requestId: string, kind: string, to: string) => Promise<void>;

/**
 * Renders and sends; the tags let the SES feedback handler tie a bounce to its request. Each
 * e-mail SES accepted is noted for the timeline; a note that fails is only logged, since the
 * e-mail went out and a retry must not send it again.
 */
export class Notifications {
  constructor(
    private readonly mailer: Mailer,
    private readonly note?: EmailNote,
  ) {}

  private async sent(requestId: string, kind: string, to: string): Promise<void> {
    try {
      await this.note?.(requestId, kind, to);
    } catch (error) {
      logger.warn('e-mail not noted in the timeline', { requestId, kind, error: String(error) });
    }
  }

  async sendActivation(request: SmartAccountRequest, activationUrl: string): Promise<string> {
    const rendered = renderEmail(EmailKind.ACTIVATION, {
      ...emailData(request, activationUrl),
      activationUrl,
    });
    const messageId = await this.mailer.send({
      to: [request.customerEmail],
      ...rendered,
      tags: { requestId: request.id, purpose: 'activation' },
    });
    logger.info('activation e-mail sent', { requestId: request.id, messageId });
    await this.sent(request.id, 'activation', request.customerEmail);
    return messageId;
  }

  /** The activation e-mail again, with the days left; the same link. */
  async sendReminder(
    request: SmartAccountRequest,
    activationUrl: string,
    daysLeft: number,
  ): Promise<void> {
    const rendered = renderEmail(EmailKind.REMINDER, {
      ...emailData(request, activationUrl),
      activationUrl,
      daysLeft,
    });
    await this.mailer.send({
      to: [request.customerEmail],
      ...rendered,
      tags: { requestId: request.id, purpose: 'reminder' },
    });
    await this.sent(request.id, 'reminder', request.customerEmail);
  }

  /** With the last reminder: the partner's contact hears the request expires soon. */
  async sendExpiringSoon(request: SmartAccountRequest, to: string): Promise<void> {
    await this.mailer.send({
      to: [to],
      ...renderEmail(EmailKind.EXPIRING_PARTNER, emailData(request)),
      tags: { requestId: request.id, purpose: 'expiring_partner' },
    });
    await this.sent(request.id, 'expiring_partner', to);
  }

  async send(request: SmartAccountRequest, email: PlannedEmail): Promise<void> {
    const data = emailData(request);
    const rendered =
      email.kind === EmailKind.FAILED_PARTNER
        ? renderEmail(EmailKind.FAILED_PARTNER, {
            ...data,
            failureReason: data.failureReason ?? 'Unknown',
          })
        : renderEmail(
            email.kind as Exclude<EmailKind, 'ACTIVATION' | 'REMINDER' | 'FAILED_PARTNER'>,
            data,
          );
    await this.mailer.send({
      to: [email.to],
      ...rendered,
      tags: { requestId: request.id, purpose: email.kind.toLowerCase() },
    });
    await this.sent(request.id, email.kind.toLowerCase(), email.to);
  }
}
