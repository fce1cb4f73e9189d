/** Every e-mail the service sends, and who receives it. */

export const EmailKind = {
  /** On create and on resend: asks the customer to activate. */
  ACTIVATION: 'ACTIVATION',
  /** At each reminder offset before expiry: the same link, and how many days are left. */
  REMINDER: 'REMINDER',
  /** With the last reminder: the partner hears that the request expires soon. */
  EXPIRING_PARTNER: 'EXPIRING_PARTNER',
  ACTIVATED_PARTNER: 'ACTIVATED_PARTNER',
  /** One rendering serves every address in `userEmails`: it is not personalized. */
  ACTIVATED_USER: 'ACTIVATED_USER',
  DECLINED_PARTNER: 'DECLINED_PARTNER',
  CANCELLED_CUSTOMER: 'CANCELLED_CUSTOMER',
  EXPIRED_CUSTOMER: 'EXPIRED_CUSTOMER',
  EXPIRED_PARTNER: 'EXPIRED_PARTNER',
  /** The activation e-mail was rejected or bounced. */
  FAILED_PARTNER: 'FAILED_PARTNER',
} as const;
export type EmailKind = (typeof EmailKind)[keyof typeof EmailKind];

export const Recipient = {
  CUSTOMER: 'customer',
  PARTNER: 'partner',
  USERS: 'users',
} as const;
export type Recipient = (typeof Recipient)[keyof typeof Recipient];

/** Where each kind goes: the customer e-mail, the partner's contact e-mail, or each user e-mail. */
export const emailRecipient: Readonly<Record<EmailKind, Recipient>> = {
  ACTIVATION: Recipient.CUSTOMER,
  REMINDER: Recipient.CUSTOMER,
  EXPIRING_PARTNER: Recipient.PARTNER,
  ACTIVATED_PARTNER: Recipient.PARTNER,
  ACTIVATED_USER: Recipient.USERS,
  DECLINED_PARTNER: Recipient.PARTNER,
  CANCELLED_CUSTOMER: Recipient.CUSTOMER,
  EXPIRED_CUSTOMER: Recipient.CUSTOMER,
  EXPIRED_PARTNER: Recipient.PARTNER,
  FAILED_PARTNER: Recipient.PARTNER,
};
