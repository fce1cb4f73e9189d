import type { RequestStatus } from '../shared/status.ts';
import type { CreateRequestInput } from './request-schema.ts';
import type { SmartAccountRequestResource } from './resource-schemas.ts';

export interface StatusChange {
  readonly status: RequestStatus;
  readonly at: string;
}

/** A request as stored: the resource fields plus what only the backend may see. */
export interface SmartAccountRequest extends CreateRequestInput {
  readonly id: string;
  readonly partnerId: string;
  readonly partnerName: string;
  readonly status: RequestStatus;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly activatedAt: string | null;
  readonly closedAt: string | null;
  readonly closeReason: string | null;
  readonly history: readonly StatusChange[];
  readonly resendCount: number;
  /** Current wait's Step Functions task token. Never leaves the backend. */
  readonly taskToken?: string;
  /** SHA-256 of the activation code; the code itself is derived, never stored. */
  readonly codeHash?: string;
  readonly codeNonce?: string;
  /** The terminal status whose e-mails were sent, so Settle never mails an outcome twice. */
  readonly notifiedStatus?: RequestStatus;
  /** Keys of the outcome e-mails already sent (a string set). */
  readonly sentEmails?: ReadonlySet<string>;
}

/** The partner-facing view: internal fields are dropped by construction, not by deletion. */
export const toResource = (request: SmartAccountRequest): SmartAccountRequestResource => ({
  id: request.id,
  status: request.status,
  accountName: request.accountName,
  accountDomain: request.accountDomain,
  customerEmail: request.customerEmail,
  noteToCustomer: request.noteToCustomer,
  userEmails: [...request.userEmails],
  noteToUsers: request.noteToUsers,
  locale: request.locale,
  createdAt: request.createdAt,
  expiresAt: request.expiresAt,
  activatedAt: request.activatedAt,
  closedAt: request.closedAt,
  history: request.history.map((change) => ({ status: change.status, at: change.at })),
});

export const expiryFrom = (createdAt: Date, timeoutSeconds: number): string =>
  new Date(createdAt.getTime() + timeoutSeconds * 1000).toISOString();
