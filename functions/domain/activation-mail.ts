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
    const wakeAt = sweepAfter(now, waitSeconds);
    const attached = await this.attachWait(requestId, taskToken, wakeAt);
    // Unset also after a PATCH gave the request a new customer whose link it could not mail.
    if (attached.activationSentAt) return { mailed: false };
    await this.mailCurrentLink(attached, now);
    return { mailed: true };
  }

  /**
   * Stores this wait's token against the request's link. A PATCH that gave the request a new
   * link between the read and the write makes the write fail while the request is still
   * pending: read again and attach to the new link (twice at most; a third PATCH in those
   * milliseconds leaves it to the sweep).
   */
  private async attachWait(
    requestId: string,
    taskToken: string,
    wakeAt: string,
  ): Promise<SmartAccountRequest> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const request = await this.requests.get(requestId);
      if (!request) throw new NotFound(`Request ${requestId} does not exist`);
      if (request.status !== RequestStatus.PENDING_ACTIVATION) {
        throw new RequestClosed(request.status);
      }
      const nonce = request.codeNonce ?? newCodeNonce();
      const code = await codeOf(this.links, request, nonce);
      const attached = await this.requests.attachActivation(requestId, {
        taskToken,
        codeHash: sha256(code),
        codeNonce: nonce,
        wakeAt,
        sweepAt: sweepAfter(wakeAt, SweepDelay.AFTER_WAKE_SECONDS),
      });
      if (attached) return attached;
    }
    // Lost to a decision or a cancel (Settle reports whatever won), or to repeated PATCHes.
    throw new RequestClosed('Request left PENDING_ACTIVATION');
  }

  /** The link the request's customer has now (its nonce was fixed by the first send). */
  async linkOf(request: SmartAccountRequest): Promise<string> {
    if (!request.codeNonce) throw new TypeError(`Request ${request.id} has no link yet`);
    return linkFor(this.links, await codeOf(this.links, request, request.codeNonce));
  }

  /** A new link for a new customer: a fresh nonce, so the old link's code stops resolving. */
  async newLink(
    request: SmartAccountRequest,
  ): Promise<{ codeNonce: string; codeHash: string; url: string }> {
    const codeNonce = newCodeNonce();
    const code = await codeOf(this.links, request, codeNonce);
    return { codeNonce, codeHash: sha256(code), url: linkFor(this.links, code) };
  }

  /** Mails the request's current link to its current customer and records that it went out. */
  async mailCurrentLink(request: SmartAccountRequest, now: Date = new Date()): Promise<void> {
    await this.notifications.sendActivation(request, await this.linkOf(request));
    await this.requests.markActivationSent(request.id, now);
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
