/**
 * Key design of the one table (see docs/architecture.md). Every item kind has its own PK
 * prefix so a key can never address an item of another kind.
 */
export const keys = {
  request: (id: string) => ({ PK: `REQUEST#${id}`, SK: 'REQUEST' }),
  domainLock: (domain: string) => ({ PK: `DOMAIN#${domain}`, SK: 'LOCK' }),
  activationCode: (codeHash: string) => ({ PK: `CODE#${codeHash}`, SK: 'CODE' }),
  partner: (partnerId: string) => ({ PK: `PARTNER#${partnerId}`, SK: 'PROFILE' }),
  apiKey: (keyHash: string) => ({ PK: `APIKEY#${keyHash}`, SK: 'APIKEY' }),
  idempotency: (scope: string, key: string) => ({
    PK: `IDEMPOTENCY#${scope}#${key}`,
    SK: 'IDEMPOTENCY',
  }),
  partnerRequestsIndex: (partnerId: string) => `PARTNER#${partnerId}`,
} as const;

export const PARTNER_REQUESTS_INDEX = 'GSI1';
export const TTL_ATTRIBUTE = 'ttl';
