import { EmailRejected, NotFound } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { maskEmail } from '../shared/mask.ts';
import { RequestStatus } from '../shared/status.ts';
import { type Notifications, planOutcomeEmails } from './notifications.ts';
import type { DomainLocks, PartnerStore, RequestStore } from './ports.ts';
import { closedAtOf, DEFAULT_RETENTION_DAYS, retainUntilOf } from './retention.ts';
import { countRequest, type StatusCounter } from './status-counts.ts';

export interface RetentionSettings {
  /** RETENTION_DAYS. */
  readonly days: number;
  /** The sweep deletes (the local stack), not DynamoDB's TTL. */
  readonly bySweep: boolean;
}

/**
 * The workflow's last step: whoever won the conditional write decided the status; this sends
 * that outcome's e-mails. Each sent e-mail is recorded, so a retry after a throttle or crash
 * sends only what is missing and an outcome is never mailed twice.
 */
export class Settlement {
  constructor(
    private readonly requests: RequestStore,
    private readonly partners: PartnerStore,
    private readonly notifications: Notifications,
    private readonly counts: Pick<StatusCounter, 'apply'>,
    private readonly locks: Pick<DomainLocks, 'markAccount'>,
    private readonly retention: RetentionSettings = {
      days: DEFAULT_RETENTION_DAYS,
      bySweep: false,
    },
  ) {}

  async settle(requestId: string): Promise<RequestStatus> {
    const request = await this.requests.get(requestId);
    if (!request) throw new NotFound(`Request ${requestId} does not exist`);
    if (request.status === RequestStatus.PENDING_ACTIVATION) return request.status;
    // The close moves the request between the counters before it leaves the execution's
    // hands (markNotified below ends the execution's work on it).
    await countRequest(this.counts, request);
    if (request.notifiedStatus === request.status) return request.status;
    const partner = await this.partners.get(request.partnerId);
    if (!partner) throw new NotFound(`Partner ${request.partnerId} does not exist`);
    for (const email of planOutcomeEmails(request, partner)) {
      if (request.sentEmails?.has(email.key)) continue;
      try {
        await this.notifications.send(request, email);
      } catch (error) {
        if (!(error instanceof EmailRejected)) throw error;
        // SES refuses this one address for good (suppressed, rejected): no retry can deliver
        // it, the outcome stands, and everyone else must still hear about it.
        // The key names the recipient: log the address masked (personal data).
        logger.warn('outcome e-mail refused', {
          requestId,
          to: maskEmail(email.to),
          kind: email.kind,
        });
      }
      await this.requests.recordSentEmail(requestId, email.key);
    }
    // An activated account keeps its domain for good, also once retention deleted this
    // request: marked now, while the lock surely still names it.
    if (request.status === RequestStatus.ACTIVE) {
      const activatedAt = request.activatedAt ?? closedAtOf(request) ?? new Date().toISOString();
      await this.locks.markAccount(request.accountDomain, request.id, activatedAt);
    }
    // Settled, and from its close the retention runs (retention.ts).
    const closedAt = closedAtOf(request) ?? new Date().toISOString();
    await this.requests.markNotified(requestId, request.status, {
      retainUntil: retainUntilOf(closedAt, this.retention.days),
      bySweep: this.retention.bySweep,
    });
    logger.info('request settled', { requestId, status: request.status });
    return request.status;
  }
}
