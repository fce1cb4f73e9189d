import { RequestStatus } from '../shared/status.ts';
import type { PendingEvent } from './event-outbox.ts';
import type { SmartAccountRequestResource } from './resource-schemas.ts';

export type StatusChange = Readonly<SmartAccountRequestResource['history'][number]>;

/**
 * A request as stored: every resource field (resource-schemas.ts) plus what only the backend
 * may see. Only the internal fields are declared here; a new resource field reaches the stored
 * model and the OpenAPI document from the schema, and `toResource` from the key list below.
 */
export interface SmartAccountRequest
  extends Readonly<
    Omit<
      SmartAccountRequestResource,
      'id' | 'history' | 'declineReason' | 'remindersSent' | 'nextReminderAt'
    >
  > {
  /** Stored requests always have one; only a dry run's preview has none. */
  readonly id: string;
  readonly history: readonly StatusChange[];
  /** Set by a decline that gave one; absent on requests stored before the field existed. */
  readonly declineReason?: string | null;
  /** Absent on requests stored before reminders existed (they are never reminded). */
  readonly remindersSent?: number;
  /** The next reminder (reminders.ts); later ones follow from expiresAt and the offsets. */
  readonly nextReminderAt?: string | null;
  readonly partnerId: string;
  readonly partnerName: string;
  readonly closeReason: string | null;
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
  /** When the first activation e-mail went out; a later execution never mails it again. */
  readonly activationSentAt?: string;
  /** The execution working for the request: 1 is `<id>`, n is `<id>-<n>` (sweep.ts). */
  readonly executionAttempt?: number;
  /** When the waiting execution planned to wake (schedule.ts). */
  readonly wakeAt?: string;
  /** While unsettled: when the sweep looks at the request next. Settle removes it. */
  readonly sweepAt?: string;
  /** How often the sweep had to repair this request. */
  readonly sweepRepairs?: number;
  /** Events of changes not published yet: the outbox (event-outbox.ts). */
  readonly pendingEvents?: readonly PendingEvent[];
  /** The status the partner's counters count it under (status-counts.ts); absent: not yet. */
  readonly countedStatus?: RequestStatus;
  /** When a closed request is deleted (retention.ts); set once its outcome is settled. */
  readonly retainUntil?: string;
}

/**
 * The resource's keys in the order the API returns them. The type makes the list exactly the
 * schema's keys: a field added to (or dropped from) the resource schema does not compile until
 * it is here too, and nothing else (task token, code hash) can be listed. A list, not
 * `Object.keys(schema.shape)`, because this module is in handlers that bundle no zod at all.
 */
type ResourceKey = keyof SmartAccountRequestResource;

const keysOf = <K extends string>(fields: Record<K, true>): K[] => Object.keys(fields) as K[];

const resourceKeys = keysOf<ResourceKey>({
  id: true,
  status: true,
  accountName: true,
  accountDomain: true,
  customerEmail: true,
  noteToCustomer: true,
  userEmails: true,
  noteToUsers: true,
  locale: true,
  createdAt: true,
  expiresAt: true,
  activatedAt: true,
  closedAt: true,
  declineReason: true,
  history: true,
  remindersSent: true,
  nextReminderAt: true,
});

const statusChangeKeys = keysOf<keyof StatusChange>({ status: true, at: true });

const pick = <T extends object, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> =>
  Object.fromEntries(keys.map((key) => [key, value[key]])) as Pick<T, K>;

/** The partner-facing view: internal fields are dropped by construction, not by deletion. */
export const toResource = (request: SmartAccountRequest): SmartAccountRequestResource => ({
  ...pick(request, resourceKeys),
  // Requests stored before the field existed have none.
  declineReason: request.declineReason ?? null,
  remindersSent: request.remindersSent ?? 0,
  // A closed request keeps its last plan in the table; no reminder is due for it any more.
  nextReminderAt:
    request.status === RequestStatus.PENDING_ACTIVATION ? (request.nextReminderAt ?? null) : null,
  userEmails: [...request.userEmails],
  history: request.history.map((change) => pick(change, statusChangeKeys)),
});

export const expiryFrom = (createdAt: Date, timeoutSeconds: number): string =>
  new Date(createdAt.getTime() + timeoutSeconds * 1000).toISOString();
