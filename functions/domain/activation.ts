import { deriveActivationCode, newCodeNonce, sha256 } from '../shared/crypto.ts';
import {
  NotFound,
  NotPending,
  RequestClosed,
  ServiceUnavailable,
  TooManyRequests,
} from '../shared/errors.ts';
import { RequestStatus } from '../shared/status.ts';
import { endWait } from './cancellation.ts';
import type { Notifications } from './notifications.ts';
import type { RequestStore, Workflow } from './ports.ts';
import type { SmartAccountRequest } from './smart-account-request.ts';

export interface ActivationLinks {
  readonly secret: () => Promise<string>;
  readonly publicBaseUrl: () => string;
}

export const Decision = { ACTIVATE: 'activate', DECLINE: 'decline' } as const;
export type Decision = (typeof Decision)[keyof typeof Decision];

export const DecisionResult = {
  /** This call made the decision. */
  DECIDED: 'DECIDED',
  /** The request had already left PENDING_ACTIVATION; `request.status` says how. */
  ALREADY_CLOSED: 'ALREADY_CLOSED',
} as const;
export type DecisionResult = (typeof DecisionResult)[keyof typeof DecisionResult];

const codeOf = async (links: ActivationLinks, request: SmartAccountRequest, nonce: string) =>
  deriveActivationCode(await links.secret(), request.id, nonce);

const linkFor = (links: ActivationLinks, code: string) =>
  `${links.publicBaseUrl()}/activate/${code}`;

/**
 * The customer side of a request: mailing the link (workflow and resend) and deciding on it.
 * Activation codes are derived, looked up by hash, and never stored.
 */
export class Activation {
  constructor(
    private readonly requests: RequestStore,
    private readonly workflow: Workflow,
    private readonly notifications: Notifications,
    private readonly links: ActivationLinks,
  ) {}

  /** Workflow step: store this attempt's task token, then mail the activation link. */
  async sendForWait(requestId: string, taskToken: string): Promise<void> {
    const request = await this.requests.get(requestId);
    if (!request) throw new NotFound(`Request ${requestId} does not exist`);
    if (request.status !== RequestStatus.PENDING_ACTIVATION)
      throw new RequestClosed(request.status);
    const nonce = request.codeNonce ?? newCodeNonce();
    const code = await codeOf(this.links, request, nonce);
    const attached = await this.requests.attachActivation(requestId, {
      taskToken,
      codeHash: sha256(code),
      codeNonce: nonce,
    });
    // Lost the race with a decision or a cancel: Settle reports whatever won.
    if (!attached) throw new RequestClosed('Request left PENDING_ACTIVATION');
    await this.notifications.sendActivation(attached, linkFor(this.links, code));
  }

  /** Partner API: mail the same link again, at most `maxResends` times. */
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
      throw new ServiceUnavailable('The first activation e-mail is still being sent.', 5);
    }
    const request = counted.request;
    const code = await codeOf(this.links, request, request.codeNonce as string);
    await this.notifications.sendActivation(request, linkFor(this.links, code));
    return request;
  }

  async find(code: string): Promise<SmartAccountRequest | undefined> {
    return this.requests.findByCodeHash(sha256(code));
  }

  /**
   * The conditional write decides; the loser is told what already happened. After the write
   * the workflow's wait is ended: if the timer fired first, the expire step finds the status
   * this write set and Settle mails that outcome, so there is exactly one outcome either way.
   */
  async decide(
    code: string,
    decision: Decision,
  ): Promise<{ result: DecisionResult; request: SmartAccountRequest } | undefined> {
    const request = await this.find(code);
    if (!request) return undefined;
    const to = decision === Decision.ACTIVATE ? RequestStatus.ACTIVE : RequestStatus.DECLINED;
    const outcome = await this.requests.close(request.id, to, {
      reason: decision === Decision.DECLINE ? 'DeclinedByCustomer' : undefined,
    });
    if (!outcome) return undefined;
    if (outcome.won) {
      await endWait(this.workflow, outcome.request);
      return { result: DecisionResult.DECIDED, request: outcome.request };
    }
    // A repeated POST re-signals the workflow if it has not settled yet: harmless when the
    // first signal arrived (stale token), and it recovers a first signal that was lost.
    if (
      (outcome.request.status === RequestStatus.ACTIVE ||
        outcome.request.status === RequestStatus.DECLINED) &&
      !outcome.request.notifiedStatus
    ) {
      await endWait(this.workflow, outcome.request);
    }
    return { result: DecisionResult.ALREADY_CLOSED, request: outcome.request };
  }
}
