import { sha256 } from '../shared/crypto.ts';
import { RequestStatus } from '../shared/status.ts';
import { signalOrLeaveToSweep } from './cancellation.ts';
import { Decision } from './decision.ts';
import { awaitsSettlement, CloseReason } from './lifecycle.ts';
import type { RequestStore, Workflow } from './ports.ts';
import type { SmartAccountRequest } from './smart-account-request.ts';

export { Decision };

export const DecisionResult = {
  /** This call made the decision. */
  DECIDED: 'DECIDED',
  /** The request had already left PENDING_ACTIVATION; `request.status` says how. */
  ALREADY_CLOSED: 'ALREADY_CLOSED',
} as const;
export type DecisionResult = (typeof DecisionResult)[keyof typeof DecisionResult];

/** The request an activation code belongs to: codes are looked up by their hash only. */
export const findByActivationCode = (
  requests: RequestStore,
  code: string,
): Promise<SmartAccountRequest | undefined> => requests.findByCodeHash(sha256(code));

/** The customer's answer to an activation link. */
export class ActivationDecisions {
  constructor(
    private readonly requests: RequestStore,
    private readonly workflow: Workflow,
  ) {}

  find(code: string): Promise<SmartAccountRequest | undefined> {
    return findByActivationCode(this.requests, code);
  }

  /**
   * The conditional write decides; the loser is told what already happened. After the write
   * the workflow's wait is ended: if the timer fired first, the expire step finds the status
   * this write set and Settle mails that outcome, so there is exactly one outcome either way.
   */
  async decide(
    code: string,
    decision: Decision,
    declineReason: string | null = null,
  ): Promise<{ result: DecisionResult; request: SmartAccountRequest } | undefined> {
    const request = await this.find(code);
    if (!request) return undefined;
    const to = decision === Decision.ACTIVATE ? RequestStatus.ACTIVE : RequestStatus.DECLINED;
    const outcome = await this.requests.close(request.id, to, {
      // The request's own partner (it came from its link): spares the store a read.
      partnerId: request.partnerId,
      reason: decision === Decision.DECLINE ? CloseReason.DECLINED_BY_CUSTOMER : undefined,
      declineReason: decision === Decision.DECLINE ? declineReason : null,
      // Only through the request's current link: a PATCH that replaced it first wins.
      codeHash: sha256(code),
    });
    if (!outcome) return undefined;
    // Still pending after losing: the link was replaced meanwhile, and is now unknown.
    if (outcome.request.status === RequestStatus.PENDING_ACTIVATION) return undefined;
    if (outcome.won) {
      await signalOrLeaveToSweep(this.workflow, outcome.request);
      return { result: DecisionResult.DECIDED, request: outcome.request };
    }
    // A repeated POST re-signals the workflow if it has not settled yet: harmless when the
    // first signal arrived (stale token), and it recovers a first signal that was lost.
    if (
      (outcome.request.status === RequestStatus.ACTIVE ||
        outcome.request.status === RequestStatus.DECLINED) &&
      awaitsSettlement(outcome.request)
    ) {
      await signalOrLeaveToSweep(this.workflow, outcome.request);
    }
    return { result: DecisionResult.ALREADY_CLOSED, request: outcome.request };
  }
}
