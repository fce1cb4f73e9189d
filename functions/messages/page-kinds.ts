/** The outcome pages of the public activation flow, and the HTTP status each is served with. */

export const ResultPage = {
  /** This POST activated the request. */
  ACTIVATED: 'ACTIVATED',
  /** This POST declined the request. */
  DECLINED: 'DECLINED',
  ALREADY_ACTIVE: 'ALREADY_ACTIVE',
  ALREADY_DECLINED: 'ALREADY_DECLINED',
  /** Withdrawn by the partner. */
  CANCELLED: 'CANCELLED',
  EXPIRED: 'EXPIRED',
  /** The activation e-mail bounced or was rejected; the request is closed. */
  FAILED: 'FAILED',
  /** Unknown activation code. */
  NOT_FOUND: 'NOT_FOUND',
  /** Cross-site POST: an Origin or Sec-Fetch-Site that is not ours. */
  FORBIDDEN: 'FORBIDDEN',
  /** The form arrived without a valid `decision`. */
  INVALID_REQUEST: 'INVALID_REQUEST',
  TOO_MANY_ATTEMPTS: 'TOO_MANY_ATTEMPTS',
  /** Anything unexpected; pass the errorId so support can trace it. */
  ERROR: 'ERROR',
} as const;
export type ResultPage = (typeof ResultPage)[keyof typeof ResultPage];

export const resultPageStatus: Readonly<Record<ResultPage, number>> = {
  ACTIVATED: 200,
  DECLINED: 200,
  ALREADY_ACTIVE: 200,
  ALREADY_DECLINED: 200,
  CANCELLED: 200,
  EXPIRED: 410,
  FAILED: 410,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  INVALID_REQUEST: 400,
  TOO_MANY_ATTEMPTS: 429,
  ERROR: 500,
};
