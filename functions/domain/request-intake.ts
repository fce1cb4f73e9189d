import { newRequestId } from '../shared/crypto.ts';
import { ServiceUnavailable } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { RequestStatus } from '../shared/status.ts';
import type { RequestStore, Workflow } from './ports.ts';
import type { CreateRequestInput } from './request-schema.ts';
import type { SmartAccountRequestResource } from './resource-schemas.ts';
import { expiryFrom, type SmartAccountRequest, toResource } from './smart-account-request.ts';

export interface Requester {
  readonly partnerId: string;
  readonly partnerName: string;
}

export interface RequestIntakeOptions {
  readonly activationTimeoutSeconds: number;
  readonly now?: () => Date;
}

/** Turns a validated partner request into a stored PENDING_ACTIVATION request with a running workflow. */
export class RequestIntake {
  private readonly now: () => Date;

  constructor(
    private readonly store: RequestStore,
    private readonly workflow: Workflow,
    private readonly options: RequestIntakeOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** The request as it would be created (the review step): no id yet, nothing is written. */
  preview(requester: Requester, input: CreateRequestInput): SmartAccountRequestResource {
    return { ...toResource(this.draft(requester, input, '')), id: null };
  }

  private draft(requester: Requester, input: CreateRequestInput, id: string): SmartAccountRequest {
    const createdAt = this.now();
    return {
      ...input,
      id,
      partnerId: requester.partnerId,
      partnerName: requester.partnerName,
      status: RequestStatus.PENDING_ACTIVATION,
      createdAt: createdAt.toISOString(),
      expiresAt: expiryFrom(createdAt, this.options.activationTimeoutSeconds),
      activatedAt: null,
      closedAt: null,
      closeReason: null,
      history: [{ status: RequestStatus.PENDING_ACTIVATION, at: createdAt.toISOString() }],
      resendCount: 0,
    };
  }

  async create(requester: Requester, input: CreateRequestInput): Promise<SmartAccountRequest> {
    const request = this.draft(requester, input, newRequestId());
    await this.store.create(request);
    try {
      await this.workflow.start(request.id);
    } catch (error) {
      // Without an execution nobody would ever mail the customer or expire the request, so
      // close it now: the domain is free again and the partner's retry starts cleanly. If
      // this write fails too, the domain lock treats the request as abandoned after a while.
      logger.error('workflow did not start', { requestId: request.id, error });
      await this.store
        .close(request.id, RequestStatus.FAILED, { reason: 'ExecutionNotStarted' })
        .catch((closeError: unknown) =>
          logger.error('could not close request without execution', {
            requestId: request.id,
            error: closeError,
          }),
        );
      throw new ServiceUnavailable('The workflow could not be started.', 2);
    }
    return request;
  }
}
