import type { RequestStatus } from '../shared/status.ts';
import type { SmartAccountRequest } from './smart-account-request.ts';

/**
 * The small interfaces the domain depends on. DynamoDB, Step Functions and SES live in
 * adapters (functions/adapters/) that implement them.
 */

export interface Partner {
  readonly id: string;
  readonly name: string;
  readonly contactEmail: string;
}

export interface PartnerStore {
  findByApiKeyHash(keyHash: string): Promise<Partner | undefined>;
  get(partnerId: string): Promise<Partner | undefined>;
  create(partner: Partner, keyHash: string): Promise<void>;
}

export interface CloseOutcome {
  /** True when this call made the change; false when another status had already won. */
  readonly won: boolean;
  readonly request: SmartAccountRequest;
}

export interface ListPage {
  readonly items: readonly SmartAccountRequest[];
  readonly nextCursor: string | null;
}

export interface RequestStore {
  /**
   * Stores a new PENDING_ACTIVATION request and takes its domain's lock. Throws DomainTaken
   * when the domain has a live request.
   */
  create(request: SmartAccountRequest): Promise<void>;
  get(requestId: string): Promise<SmartAccountRequest | undefined>;
  findByCodeHash(codeHash: string): Promise<SmartAccountRequest | undefined>;
  listByPartner(
    partnerId: string,
    options: { limit: number; status?: RequestStatus; cursor?: string },
  ): Promise<ListPage>;
  /** The one arbiter: PENDING_ACTIVATION -> `to`, conditional; reports the winner either way. */
  close(
    requestId: string,
    to: RequestStatus,
    options?: { partnerId?: string; reason?: string; at?: Date },
  ): Promise<CloseOutcome | undefined>;
  /** Stores the current wait's task token and the activation code's hash, only while pending. */
  attachActivation(
    requestId: string,
    activation: { taskToken: string; codeHash: string; codeNonce: string },
  ): Promise<SmartAccountRequest | undefined>;
  /** Counts a resend while pending and under the limit. */
  countResend(
    requestId: string,
    partnerId: string,
    maxResends: number,
  ): Promise<
    { ok: true; request: SmartAccountRequest } | { ok: false; request?: SmartAccountRequest }
  >;
  /** Remembers one sent outcome e-mail so a retried Settle never sends it twice. */
  recordSentEmail(requestId: string, key: string): Promise<void>;
  markNotified(requestId: string, status: RequestStatus): Promise<boolean>;
}

export interface IdempotencyRecord {
  readonly bodyHash: string;
  readonly state: 'IN_PROGRESS' | 'COMPLETED';
  readonly response?: StoredResponse;
}

export interface StoredResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface IdempotencyStore {
  /** Claims the key; returns the existing record when someone holds or completed it. */
  claim(scope: string, key: string, bodyHash: string): Promise<IdempotencyRecord | undefined>;
  complete(scope: string, key: string, response: StoredResponse): Promise<void>;
  release(scope: string, key: string): Promise<void>;
}

export interface Workflow {
  start(requestId: string): Promise<void>;
  /** Resumes the wait; false when the token is no longer valid (timed out, already used). */
  resume(taskToken: string, output: unknown): Promise<boolean>;
  /** Ends the wait with an error the ASL catches; false when the token is no longer valid. */
  abort(taskToken: string, error: string, cause: string): Promise<boolean>;
}

export interface OutgoingEmail {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<string>;
}
