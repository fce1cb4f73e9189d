/** Request statuses (contract). Terminal statuses never change again. */
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

/** A domain with a request in one of these statuses cannot be requested again (409). */
export const liveStatuses: readonly RequestStatus[] = [
  RequestStatus.PENDING_ACTIVATION,
  RequestStatus.ACTIVE,
];

export const isLiveStatus = (status: RequestStatus): boolean => liveStatuses.includes(status);

/** Statuses a pending request can be closed into by the workflow's close step. */
export const WorkflowCloseStatus = {
  EXPIRED: RequestStatus.EXPIRED,
  FAILED: RequestStatus.FAILED,
} as const;
export type WorkflowCloseStatus = (typeof WorkflowCloseStatus)[keyof typeof WorkflowCloseStatus];
