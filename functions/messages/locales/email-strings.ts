/**
 * Every sentence of every e-mail, per locale. Functions receive plain, unescaped values and
 * return plain text: escaping is the layout's job, so no string here may contain markup.
 * A locale module that misses a string does not type-check.
 */
import type { EmailKind } from '../email-kinds.ts';

export interface EmailLabels {
  readonly accountName: string;
  readonly accountDomain: string;
  readonly requestedBy: string;
  readonly customerEmail: string;
  readonly validUntil: string;
  readonly reason: string;
}

interface EmailHeadline {
  /** `account` is "Name (domain)". */
  readonly subject: (account: string) => string;
  readonly heading: string;
}

export interface EmailStrings {
  readonly labels: EmailLabels;
  readonly messageFrom: (partner: string) => string;
  readonly automated: string;
  readonly reference: (requestId: string) => string;
  readonly [EmailKind.ACTIVATION]: EmailHeadline & {
    readonly intro: (partner: string) => string;
    readonly usersHeading: string;
    readonly action: string;
    readonly linkFallback: string;
    readonly ifNothing: (expiry: string) => string;
    readonly notRecognized: string;
  };
  readonly [EmailKind.REMINDER]: EmailHeadline & {
    /** `daysLeft` is a whole number of days, at least 1 ("1 day" reads as "within a day"). */
    readonly intro: (partner: string, daysLeft: number, expiry: string) => string;
  };
  readonly [EmailKind.EXPIRING_PARTNER]: EmailHeadline & {
    readonly body: (customer: string, expiry: string) => string;
    readonly next: string;
  };
  readonly [EmailKind.ACTIVATED_PARTNER]: EmailHeadline & {
    readonly body: (customer: string) => string;
    readonly usersHeading: string;
  };
  readonly [EmailKind.ACTIVATED_USER]: EmailHeadline & {
    readonly body: (partner: string) => string;
  };
  readonly [EmailKind.DECLINED_PARTNER]: EmailHeadline & {
    readonly body: (customer: string) => string;
    /** Heading of the customer's reason, when they gave one. */
    readonly reasonHeading: string;
    readonly next: string;
  };
  readonly [EmailKind.CANCELLED_CUSTOMER]: EmailHeadline & {
    readonly body: (partner: string) => string;
    readonly next: (partner: string) => string;
  };
  readonly [EmailKind.EXPIRED_CUSTOMER]: EmailHeadline & {
    readonly body: (partner: string, expiry: string) => string;
    readonly next: (partner: string) => string;
  };
  readonly [EmailKind.EXPIRED_PARTNER]: EmailHeadline & {
    readonly body: (customer: string, expiry: string) => string;
    readonly next: string;
  };
  readonly [EmailKind.FAILED_PARTNER]: EmailHeadline & {
    readonly body: (customer: string) => string;
    readonly next: string;
  };
}
