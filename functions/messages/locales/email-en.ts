import type { EmailStrings } from './email-strings.ts';

export const emailEn: EmailStrings = {
  labels: {
    accountName: 'Account name',
    accountDomain: 'Domain',
    requestedBy: 'Requested by',
    customerEmail: 'Customer e-mail',
    validUntil: 'Valid until',
    reason: 'Reason',
  },
  messageFrom: (partner) => `Message from ${partner}`,
  automated: 'This is an automated message from Smart Account Requests. Replies are not read.',
  reference: (requestId) => `Quote this reference if you contact support: ${requestId}`,
  ACTIVATION: {
    subject: (account) => `Please activate your Smart Account ${account}`,
    heading: 'Activate your Smart Account',
    intro: (partner) =>
      `${partner} has requested a Smart Account for your organisation and named you as the person who approves it.`,
    usersHeading: 'Once it is active, these people will get access',
    action: 'Review and activate',
    linkFallback: 'If the button does not work, copy this address into your browser:',
    ifNothing: (expiry) =>
      `The link is valid until ${expiry}. If you do nothing, the request expires then and no Smart Account is created.`,
    notRecognized:
      'If you do not recognise this request, you can decline it on the same page or simply ignore this e-mail.',
  },
  REMINDER: {
    subject: (account) => `Reminder: please activate your Smart Account ${account}`,
    heading: 'Your Smart Account is waiting for you',
    intro: (partner, daysLeft, expiry) =>
      `${partner} requested a Smart Account for your organisation and is waiting for your answer. ${
        daysLeft <= 1
          ? 'The request expires within a day'
          : `The request expires in ${daysLeft} days`
      }, on ${expiry}.`,
  },
  EXPIRING_PARTNER: {
    subject: (account) => `Smart Account request expires soon: ${account}`,
    heading: 'The customer has not answered yet',
    body: (customer, expiry) =>
      `${customer} has not yet activated or declined the Smart Account below. We have sent the last reminder; the request expires on ${expiry}.`,
    next: 'If the customer needs more time, you can extend the request in the console or through the API before it expires.',
  },
  ACTIVATED_PARTNER: {
    subject: (account) => `Smart Account activated: ${account}`,
    heading: 'The customer activated the Smart Account',
    body: (customer) =>
      `${customer} has activated the Smart Account you requested. It is now active.`,
    usersHeading: 'We have told these users that they now have access',
  },
  ACTIVATED_USER: {
    subject: (account) => `You now have access to the Smart Account ${account}`,
    heading: 'You now have access',
    body: (partner) =>
      `The Smart Account below has been activated and ${partner} added you as a user. You now have access to it.`,
  },
  DECLINED_PARTNER: {
    subject: (account) => `Smart Account request declined: ${account}`,
    heading: 'The customer declined the request',
    body: (customer) =>
      `${customer} declined your request for the Smart Account below. No account was created.`,
    reasonHeading: "The customer's reason",
    next: 'If this was a mistake, please contact the customer first; you can then request the Smart Account again.',
  },
  CANCELLED_CUSTOMER: {
    subject: (account) => `Smart Account request withdrawn: ${account}`,
    heading: 'The request was withdrawn',
    body: (partner) =>
      `${partner} has withdrawn the request for the Smart Account below. The activation link no longer works and you do not need to do anything.`,
    next: (partner) => `If you have any questions, please contact ${partner}.`,
  },
  EXPIRED_CUSTOMER: {
    subject: (account) => `Smart Account request expired: ${account}`,
    heading: 'The request has expired',
    body: (partner, expiry) =>
      `The request from ${partner} for the Smart Account below was not activated before ${expiry} and has expired. No account was created.`,
    next: (partner) =>
      `When you are ready, ask ${partner} to request the Smart Account again. You will then receive a new activation e-mail.`,
  },
  EXPIRED_PARTNER: {
    subject: (account) => `Smart Account request expired: ${account}`,
    heading: 'The request has expired',
    body: (customer, expiry) =>
      `${customer} did not activate the Smart Account below before ${expiry}. The request has expired and no account was created.`,
    next: 'When the customer is ready, you can simply request the Smart Account again.',
  },
  FAILED_PARTNER: {
    subject: (account) => `Smart Account request failed, customer unreachable: ${account}`,
    heading: 'We could not reach the customer',
    body: (customer) =>
      `The activation e-mail to ${customer} could not be delivered, so the request for the Smart Account below has been stopped.`,
    next: "Please check the customer's e-mail address and request the Smart Account again.",
  },
};
