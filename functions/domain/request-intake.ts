import { newRequestId } from '../shared/crypto.ts';
import { Dependency, DependencyUnavailable, DomainTaken } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { RequestStatus } from '../shared/status.ts';
import {
  DEFAULT_LOCK_POLICY,
  type DomainLock,
  type LockPolicy,
  LockStanding,
  lockFor,
  mayTakeOver,
  standingOf,
} from './domain-lock.ts';
import { pendingEvent } from './event-outbox.ts';
import { EventType } from './events.ts';
import { CloseReason } from './lifecycle.ts';
import type { DomainLocks, RequestStore, Workflow } from './ports.ts';
import { DEFAULT_REMINDER_OFFSETS_SECONDS, nextReminderAfter } from './reminders.ts';
import type { CreateRequestInput } from './request-schema.ts';
import type { SmartAccountRequestResource } from './resource-schemas.ts';
import { expiryFrom, type SmartAccountRequest, toResource } from './smart-account-request.ts';
import { SweepDelay, sweepAfter } from './sweep.ts';

export interface Requester {
  readonly partnerId: string;
  readonly partnerName: string;
}

export interface RequestIntakeOptions extends Partial<LockPolicy> {
  readonly activationTimeoutSeconds: number;
  /** Seconds before expiry at which the customer is reminded (reminders.ts). */
  readonly reminderOffsetsSeconds?: readonly number[];
  readonly now?: () => Date;
}

/** Turns a validated partner request into a stored PENDING_ACTIVATION request with a running workflow. */
export class RequestIntake {
  private readonly now: () => Date;
  private readonly lockPolicy: LockPolicy;

  constructor(
    private readonly store: RequestStore,
    private readonly locks: DomainLocks,
    private readonly workflow: Workflow,
    private readonly options: RequestIntakeOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.lockPolicy = {
      abandonedAfterSeconds:
        options.abandonedAfterSeconds ?? DEFAULT_LOCK_POLICY.abandonedAfterSeconds,
      orphanLockAfterSeconds:
        options.orphanLockAfterSeconds ?? DEFAULT_LOCK_POLICY.orphanLockAfterSeconds,
    };
  }

  /** The request as it would be created (the review step): no id yet, nothing is written. */
  preview(requester: Requester, input: CreateRequestInput): SmartAccountRequestResource {
    return { ...toResource(this.draft(requester, input, '')), id: null };
  }

  private draft(requester: Requester, input: CreateRequestInput, id: string): SmartAccountRequest {
    const createdAt = this.now();
    const expiresAt = expiryFrom(createdAt, this.options.activationTimeoutSeconds);
    return {
      ...input,
      id,
      partnerId: requester.partnerId,
      partnerName: requester.partnerName,
      status: RequestStatus.PENDING_ACTIVATION,
      createdAt: createdAt.toISOString(),
      expiresAt,
      activatedAt: null,
      closedAt: null,
      closeReason: null,
      history: [{ status: RequestStatus.PENDING_ACTIVATION, at: createdAt.toISOString() }],
      resendCount: 0,
      remindersSent: 0,
      // Offsets already past at create (a timeout shorter than an offset) are skipped.
      nextReminderAt: nextReminderAfter(
        expiresAt,
        this.options.reminderOffsetsSeconds ?? DEFAULT_REMINDER_OFFSETS_SECONDS,
        createdAt,
      ),
      executionAttempt: 1,
      pendingEvents: [pendingEvent(EventType.CREATED, createdAt)],
      // Unsettled from the start: if the execution never starts, the sweep starts it.
      sweepAt: sweepAfter(createdAt, SweepDelay.AFTER_CREATE_SECONDS),
    };
  }

  /** Throws DomainTaken when the domain has a live request. */
  async create(requester: Requester, input: CreateRequestInput): Promise<SmartAccountRequest> {
    const request = this.draft(requester, input, newRequestId());
    const lock = lockFor(request, this.now());
    await this.claimDomain(lock);
    try {
      await this.store.insert(request);
    } catch (error) {
      await this.giveBack(lock);
      throw error;
    }
    try {
      await this.workflow.start(request.id);
    } catch (error) {
      // Without an execution nobody would ever mail the customer or expire the request, so
      // close it now: the domain is free again and the partner's retry starts cleanly. If
      // this write fails too, the domain lock treats the request as abandoned after a while.
      logger.error('workflow did not start', { requestId: request.id, error });
      await this.store
        .close(request.id, RequestStatus.FAILED, {
          partnerId: request.partnerId,
          reason: CloseReason.EXECUTION_NOT_STARTED,
        })
        .catch((closeError: unknown) =>
          logger.error('could not close request without execution', {
            requestId: request.id,
            error: closeError,
          }),
        );
      throw new DependencyUnavailable('The workflow could not be started.', {
        dependency: Dependency.WORKFLOW,
        cause: error,
      });
    }
    return request;
  }

  /**
   * Takes the domain's lock for `lock.requestId`: free, or held by a request that is no longer
   * live (domain-lock.ts decides which). Every write is conditional, so of concurrent creates
   * exactly one gets the domain.
   */
  private async claimDomain(lock: DomainLock): Promise<void> {
    if (await this.locks.take(lock)) return;
    const current = await this.locks.get(lock.domain);
    // Gone between the two calls: a create whose request write failed gave it back. Refuse
    // rather than loop; the partner's retry finds the domain free.
    if (!current) throw new DomainTaken(lock.domain);
    let standing = await this.standing(current, lock.requestId);
    if (standing === LockStanding.ABANDONED) {
      // The holder's execution never started (the create crashed after its writes). Fail it
      // before taking its lock, conditionally: if its execution stored a task token meanwhile,
      // the write loses and the holder stays live.
      const failed = await this.store.close(current.requestId, RequestStatus.FAILED, {
        reason: CloseReason.EXECUTION_NOT_STARTED,
        at: this.now(),
        unstartedOnly: true,
      });
      standing = standingOf({
        lock: current,
        holder: failed?.request,
        claimant: lock.requestId,
        now: this.now(),
        policy: this.lockPolicy,
      });
      logger.info('closed an abandoned holder of the domain', {
        requestId: current.requestId,
        won: failed?.won === true,
      });
    }
    if (standing === LockStanding.OURS) return;
    if (!mayTakeOver(standing)) throw new DomainTaken(lock.domain);
    if (await this.locks.takeOver(lock, current.requestId)) return;
    // Lost the takeover, or won it and lost the reply (the SDK retried): the lock tells which.
    const after = await this.locks.get(lock.domain);
    if (after?.requestId !== lock.requestId) throw new DomainTaken(lock.domain);
  }

  private async standing(lock: DomainLock, claimant: string): Promise<LockStanding> {
    const holder = lock.requestId === claimant ? undefined : await this.store.get(lock.requestId);
    return standingOf({ lock, holder, claimant, now: this.now(), policy: this.lockPolicy });
  }

  /** Best effort after a failed request write; if it fails too, the lock is an orphan that expires. */
  private async giveBack(lock: DomainLock): Promise<void> {
    await this.locks.release(lock).catch((error: unknown) =>
      logger.info('domain lock left to expire as an orphan', {
        requestId: lock.requestId,
        error,
      }),
    );
  }
}
