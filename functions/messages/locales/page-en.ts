import type { PageStrings } from './page-strings.ts';

export const pageEn: PageStrings = {
  siteName: 'Smart Account',
  labels: {
    accountName: 'Account name',
    accountDomain: 'Domain',
    requestedBy: 'Requested by',
    validUntil: 'Valid until',
    errorId: 'Error id',
  },
  activation: {
    title: 'Activate your Smart Account',
    intro: (partner) =>
      `${partner} has requested this Smart Account for your organisation. Please check the details and choose whether to activate it.`,
    messageFrom: (partner) => `Message from ${partner}`,
    usersHeading: 'These people will get access',
    consequences:
      'Activating creates the Smart Account and gives the people listed access. Declining closes the request and nothing is created.',
    decisionGroup: 'Your decision',
    activate: 'Activate Smart Account',
    decline: 'Decline request',
    declineReasonLabel: 'Reason for declining (optional)',
    declineReasonHint: (partner) =>
      `${partner} receives these words by e-mail, so they know what to do differently. At most 500 characters.`,
    ifNothing: (expiry) => `If you do nothing, the request expires on ${expiry}.`,
  },
  results: {
    ACTIVATED: {
      title: 'Smart Account activated',
      message:
        'Thank you. The Smart Account is now active. The partner who requested it and its users will be told by e-mail.',
    },
    DECLINED: {
      title: 'Request declined',
      message:
        'You declined the request, so no Smart Account was created. The partner who requested it will be told by e-mail.',
    },
    ALREADY_ACTIVE: {
      title: 'Already activated',
      message: 'This Smart Account has already been activated. You do not need to do anything.',
    },
    ALREADY_DECLINED: {
      title: 'Already declined',
      message: 'This request has already been declined. No Smart Account was created.',
    },
    CANCELLED: {
      title: 'Request withdrawn',
      message:
        'The partner withdrew this request, so it can no longer be activated. You do not need to do anything.',
    },
    EXPIRED: {
      title: 'Request expired',
      message:
        'This request was not activated in time and has expired. Ask your partner to request the Smart Account again; you will then receive a new e-mail.',
    },
    FAILED: {
      title: 'Request stopped',
      message:
        'This request was stopped because our e-mail could not be delivered. Ask your partner to check your e-mail address and request the Smart Account again.',
    },
    NOT_FOUND: {
      title: 'Link not found',
      message:
        'We do not recognise this activation link. Check that you opened the complete address from the e-mail.',
    },
    FORBIDDEN: {
      title: 'Action not allowed',
      message:
        'Your choice was not accepted because the form did not come from this page. Open the link from the e-mail again and try once more.',
    },
    INVALID_REQUEST: {
      title: 'Choice not understood',
      message:
        'We could not read your choice. Open the link from the e-mail again and use one of the buttons.',
    },
    TOO_MANY_ATTEMPTS: {
      title: 'Too many attempts',
      message: 'Please wait a few minutes and then try again.',
    },
    ERROR: {
      title: 'Something went wrong',
      message:
        'Something went wrong on our side. Please try again later. If it keeps happening, ask your partner to contact support and quote the error id below.',
    },
  },
};
