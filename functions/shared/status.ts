/**
 * Request statuses (contract). The rules about them (which are live, which are terminal, which
 * transitions exist) are in functions/domain/lifecycle.ts.
 */
export const RequestStatus = {
  PENDING_ACTIVATION: 'PENDING_ACTIVATION',
  ACTIVE: 'ACTIVE',
  DECLINED: 'DECLINED',
  CANCELLED: 'CANCELLED',
  EXPIRED: 'EXPIRED',
  FAILED: 'FAILED',
} as const;
export type RequestStatus = (typeof RequestStatus)[keyof typeof RequestStatus];

export const requestStatuses = Object.values(RequestStatus) as [RequestStatus, ...RequestStatus[]];

/** Statuses a pending request can be closed into by the workflow's close step. */
export const WorkflowCloseStatus = {
  EXPIRED: RequestStatus.EXPIRED,
  FAILED: RequestStatus.FAILED,
} as const;
export type WorkflowCloseStatus = (typeof WorkflowCloseStatus)[keyof typeof WorkflowCloseStatus];
