import { deriveActivationCode, newCodeNonce, sha256 } from '../shared/crypto.ts';
import { NotFound, NotPending, RequestClosed, TooManyRequests } from '../shared/errors.ts';
import { RequestStatus } from '../shared/status.ts';
import type { Notifications } from './notifications.ts';
import type { RequestStore } from './ports.ts';
import type { SmartAccountRequest } from './smart-account-request.ts';
import { SweepDelay, sweepAfter } from './sweep.ts';

export interface ActivationLinks {
  readonly secret: () => Promise<string>;
  readonly publicBaseUrl: () => string;
}

const codeOf = async (links: ActivationLinks, request: SmartAccountRequest, nonce: string) =>
  deriveActivationCode(await links.secret(), request.id, nonce);

const linkFor = (links: ActivationLinks, code: string) =>
  `${links.publicBaseUrl()}/activate/${code}`;

/**
 * Mailing the activation link: by the workflow (with this attempt's task token) and on a
 * partner's resend. Codes are derived from the per-request nonce, so a resend mails the same
 * link while only the code's hash is ever stored.
 */
export class ActivationMail {
  constructor(
    private readonly requests: RequestStore,
    private readonly notifications: Notifications,
    private readonly links: ActivationLinks,
  ) {}

  /**
   * Workflow step: store this wait's task token and planned wake, then mail the activation
   * link unless it went out already (an earlier attempt of this step, or an earlier execution
   * for the same request, sent it: this one only waits).
   */
  async sendForWait(
    requestId: string,
    taskToken: string,
    waitSeconds: number,
    now: Date = new Date(),
  ): Promise<{ mailed: boolean }> {
    const request = await this.requests.get(requestId);
    if (!request) throw new NotFound(`Request ${requestId} does not exist`);
    if (request.status !== RequestStatus.PENDING_ACTIVATION)
      throw new RequestClosed(request.status);
    const nonce = request.codeNonce ?? newCodeNonce();
    const code = await codeOf(this.links, request, nonce);
    const wakeAt = sweepAfter(now, waitSeconds);
    const attached = await this.requests.attachActivation(requestId, {
      taskToken,
      codeHash: sha256(code),
      codeNonce: nonce,
      wakeAt,
      sweepAt: sweepAfter(wakeAt, SweepDelay.AFTER_WAKE_SECONDS),
    });
    // Lost the race with a decision or a cancel: Settle reports whatever won.
    if (!attached) throw new RequestClosed('Request left PENDING_ACTIVATION');
    if (attached.activationSentAt) return { mailed: false };
    await this.notifications.sendActivation(attached, linkFor(this.links, code));
    await this.requests.markActivationSent(requestId, now);
    return { mailed: true };
  }

  /**
   * Partner API: mail the same link again, at most `maxResends` times. Before the first
   * e-mail fixed the link there is nothing to send again: that one is on its way, so the
   * resend is answered as accepted, neither counted nor sent (contract).
   */
  async resend(
    partnerId: string,
    requestId: string,
    maxResends: number,
  ): Promise<SmartAccountRequest> {
    const counted = await this.requests.countResend(requestId, partnerId, maxResends);
    if (!counted.ok) {
      if (!counted.request) throw new NotFound(`No request ${requestId}`);
      if (counted.request.status !== RequestStatus.PENDING_ACTIVATION) {
        throw new NotPending(counted.request.status);
      }
      if (counted.request.resendCount >= maxResends) {
        throw new TooManyRequests(`The activation e-mail was already resent ${maxResends} times.`);
      }
      return counted.request;
    }
    const request = counted.request;
    const code = await codeOf(this.links, request, request.codeNonce as string);
    await this.notifications.sendActivation(request, linkFor(this.links, code));
    return request;
  }
}
