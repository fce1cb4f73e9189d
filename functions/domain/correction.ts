import { NotFound, NotPending } from '../shared/errors.ts';
import { RequestStatus } from '../shared/status.ts';
import type { ActivationMail } from './activation-mail.ts';
import type { RequestCorrection, RequestStore } from './ports.ts';
import type { SmartAccountRequest } from './smart-account-request.ts';

/** What a PATCH may change: the customer's side of a pending request, never the account. */
export type CorrectableFields = RequestCorrection['fields'];

const sameValue = (a: unknown, b: unknown): boolean =>
  Array.isArray(a) && Array.isArray(b)
    ? a.length === b.length && a.every((item, index) => item === b[index])
    : (a ?? null) === (b ?? null);

/** The fields whose value would change; unchanged ones are not written. */
export const changedFields = (
  request: SmartAccountRequest,
  fields: CorrectableFields,
): CorrectableFields =>
  Object.fromEntries(
    Object.entries(fields).filter(
      ([name, value]) =>
        value !== undefined && !sameValue(request[name as keyof CorrectableFields], value),
    ),
  ) as CorrectableFields;

/**
 * A partner corrects a pending request (PATCH). A new customer address gets a new link: the
 * old one may have gone to a stranger (a typo), so its code stops resolving with the write, the
 * old address is never mailed again, and the new address gets the activation e-mail. Before
 * the first e-mail fixed a link there is nothing to replace: the execution mails the new address.
 * Other fields change quietly: the next e-mail (a reminder, the outcome) uses them.
 */
export class RequestCorrections {
  constructor(
    private readonly requests: RequestStore,
    private readonly mail: ActivationMail,
  ) {}

  async correct(
    partnerId: string,
    requestId: string,
    fields: CorrectableFields,
    now: Date = new Date(),
  ): Promise<SmartAccountRequest> {
    // The execution may fix the first link between the read and the write: plan again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const request = await this.requests.get(requestId);
      if (!request || request.partnerId !== partnerId)
        throw new NotFound(`No request ${requestId}`);
      if (request.status !== RequestStatus.PENDING_ACTIVATION) throw new NotPending(request.status);
      const changes = changedFields(request, fields);
      const newCustomer = changes.customerEmail !== undefined && request.codeNonce !== undefined;
      if (Object.keys(changes).length === 0) return request;
      const link = newCustomer ? await this.mail.newLink(request) : undefined;
      const corrected = await this.requests.correct(requestId, {
        partnerId,
        fields: changes,
        seenNonce: request.codeNonce,
        ...(link
          ? {
              newLink: {
                codeNonce: link.codeNonce,
                codeHash: link.codeHash,
                replaces: request.codeHash,
              },
            }
          : {}),
      });
      if (!corrected) continue;
      // If SES fails here the change stands (503): the next wait of the execution mails the
      // link (activationSentAt was removed with the change), and a resend mails it now.
      if (link) await this.mail.mailCurrentLink(corrected, now);
      return corrected;
    }
    const current = await this.requests.get(requestId);
    throw new NotPending(current?.status ?? RequestStatus.PENDING_ACTIVATION);
  }
}
