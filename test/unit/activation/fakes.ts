import type {
  CloseOutcome,
  ListPage,
  Partner,
  PartnerStore,
  RequestStore,
} from '../../../functions/domain/ports.ts';
import type { SmartAccountRequest } from '../../../functions/domain/smart-account-request.ts';
import { RequestStatus } from '../../../functions/shared/status.ts';

export const NOW = new Date('2026-11-25T10:00:00.000Z');

export const PARTNER: Partner = {
  id: 'partner-1',
  name: 'Partner One',
  contactEmail: 'ops@partner.example',
};

export const aRequest = (overrides: Partial<SmartAccountRequest> = {}): SmartAccountRequest => ({
  id: 'sar_01TEST',
  partnerId: PARTNER.id,
  partnerName: PARTNER.name,
  status: RequestStatus.PENDING_ACTIVATION,
  accountName: 'Acme BV',
  accountDomain: 'acme.example',
  customerEmail: 'it@acme.example',
  noteToCustomer: 'Please activate.',
  userEmails: ['a@acme.example', 'b@acme.example'],
  noteToUsers: 'Welcome.',
  locale: 'en',
  createdAt: NOW.toISOString(),
  expiresAt: '2027-02-23T10:00:00.000Z',
  activatedAt: null,
  closedAt: null,
  closeReason: null,
  history: [{ status: RequestStatus.PENDING_ACTIVATION, at: NOW.toISOString() }],
  resendCount: 0,
  ...overrides,
});

/**
 * The RequestStore contract in memory, with the one rule that matters here: only a
 * PENDING_ACTIVATION request changes status, and the loser is told who won.
 */
export class InMemoryRequestStore implements RequestStore {
  readonly requests = new Map<string, SmartAccountRequest>();
  readonly codes = new Map<string, string>();
  readonly calls: string[] = [];

  constructor(...initial: SmartAccountRequest[]) {
    for (const request of initial) this.put(request);
  }

  put(request: SmartAccountRequest): void {
    this.requests.set(request.id, request);
    if (request.codeHash) this.codes.set(request.codeHash, request.id);
  }

  async create(request: SmartAccountRequest): Promise<void> {
    this.put(request);
  }

  async get(requestId: string): Promise<SmartAccountRequest | undefined> {
    this.calls.push(`get ${requestId}`);
    return this.requests.get(requestId);
  }

  async findByCodeHash(codeHash: string): Promise<SmartAccountRequest | undefined> {
    const id = this.codes.get(codeHash);
    return id ? this.requests.get(id) : undefined;
  }

  async listByPartner(): Promise<ListPage> {
    return { items: [...this.requests.values()], nextCursor: null };
  }

  async close(
    requestId: string,
    to: RequestStatus,
    options: { partnerId?: string; reason?: string; at?: Date } = {},
  ): Promise<CloseOutcome | undefined> {
    this.calls.push(`close ${requestId} ${to}`);
    const current = this.requests.get(requestId);
    if (!current) return undefined;
    if (options.partnerId && current.partnerId !== options.partnerId) return undefined;
    if (current.status !== RequestStatus.PENDING_ACTIVATION)
      return { won: false, request: current };
    const at = (options.at ?? NOW).toISOString();
    const closed: SmartAccountRequest = {
      ...current,
      status: to,
      ...(to === RequestStatus.ACTIVE ? { activatedAt: at } : { closedAt: at }),
      closeReason: options.reason ?? null,
      history: [...current.history, { status: to, at }],
    };
    this.requests.set(requestId, closed);
    return { won: true, request: closed };
  }

  async attachActivation(
    requestId: string,
    activation: { taskToken: string; codeHash: string; codeNonce: string },
  ): Promise<SmartAccountRequest | undefined> {
    this.codes.set(activation.codeHash, requestId);
    const current = this.requests.get(requestId);
    if (current?.status !== RequestStatus.PENDING_ACTIVATION) return undefined;
    if (current.codeNonce && current.codeNonce !== activation.codeNonce) return undefined;
    const attached = { ...current, ...activation };
    this.requests.set(requestId, attached);
    return attached;
  }

  async countResend(
    requestId: string,
    partnerId: string,
    maxResends: number,
  ): Promise<
    { ok: true; request: SmartAccountRequest } | { ok: false; request?: SmartAccountRequest }
  > {
    const current = this.requests.get(requestId);
    if (!current || current.partnerId !== partnerId) return { ok: false };
    if (
      current.status !== RequestStatus.PENDING_ACTIVATION ||
      current.resendCount >= maxResends ||
      !current.codeNonce
    ) {
      return { ok: false, request: current };
    }
    const counted = { ...current, resendCount: current.resendCount + 1 };
    this.requests.set(requestId, counted);
    return { ok: true, request: counted };
  }

  async recordSentEmail(requestId: string, key: string): Promise<void> {
    this.calls.push(`recordSentEmail ${key}`);
    const current = this.requests.get(requestId);
    if (!current) return;
    this.requests.set(requestId, {
      ...current,
      sentEmails: new Set([...(current.sentEmails ?? []), key]),
    });
  }

  async markNotified(requestId: string, status: RequestStatus): Promise<boolean> {
    this.calls.push(`markNotified ${status}`);
    const current = this.requests.get(requestId);
    if (!current || current.notifiedStatus || current.status !== status) return false;
    this.requests.set(requestId, { ...current, notifiedStatus: status });
    return true;
  }
}

export class InMemoryPartnerStore implements PartnerStore {
  constructor(private readonly partners: readonly Partner[] = [PARTNER]) {}

  async findByApiKeyHash(): Promise<Partner | undefined> {
    return undefined;
  }

  async get(partnerId: string): Promise<Partner | undefined> {
    return this.partners.find((partner) => partner.id === partnerId);
  }

  async create(): Promise<void> {}
}
