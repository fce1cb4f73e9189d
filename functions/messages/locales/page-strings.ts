/**
 * Every sentence of the activation pages, per locale. Plain text only: the page templates
 * escape it. A locale module that misses a string does not type-check.
 */
import type { ResultPage } from '../page-kinds.ts';

export interface PageMessage {
  readonly title: string;
  readonly message: string;
}

export interface PageStrings {
  /** Appended to every <title>. */
  readonly siteName: string;
  readonly labels: {
    readonly accountName: string;
    readonly accountDomain: string;
    readonly requestedBy: string;
    readonly validUntil: string;
    readonly errorId: string;
  };
  readonly activation: {
    readonly title: string;
    readonly intro: (partner: string) => string;
    readonly messageFrom: (partner: string) => string;
    readonly usersHeading: string;
    readonly consequences: string;
    readonly decisionGroup: string;
    readonly activate: string;
    readonly decline: string;
    readonly declineReasonLabel: string;
    readonly declineReasonHint: (partner: string) => string;
    readonly ifNothing: (expiry: string) => string;
  };
  readonly results: Readonly<Record<ResultPage, PageMessage>>;
}
