/** The customer's two answers to an activation link: the form field value and the domain action. */
export const Decision = { ACTIVATE: 'activate', DECLINE: 'decline' } as const;
export type Decision = (typeof Decision)[keyof typeof Decision];
