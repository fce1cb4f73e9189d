import * as z from 'zod/mini';

/**
 * The API keys' shapes, once: the partner's input, validated at the edge, and the resources the
 * API answers with. The OpenAPI document (functions/api/openapi-document.ts) and the console's
 * JSDoc types (functions/console/assets/api-keys-api.js) come from these. The rules
 * (api-keys.ts) import only the types, so handlers that only answer with a key bundle no zod.
 */

export const MAX_LABEL_LENGTH = 100;

const timestamp = z.iso.datetime();

export const createApiKeyInput = z.strictObject({
  label: z.string().check(
    z.trim(),
    z.minLength(1, `Required, 1-${MAX_LABEL_LENGTH} characters.`),
    z.maxLength(MAX_LABEL_LENGTH, `At most ${MAX_LABEL_LENGTH} characters.`),
    z.refine<string>((value) => !/\p{Cc}/u.test(value), 'No control characters or line breaks.'),
    // DynamoDB stores text as UTF-8, which cannot encode a lone surrogate.
    z.refine<string>((value) => value.isWellFormed(), 'Not valid Unicode text.'),
    z.describe(
      `For you, to tell your keys apart (such as "CRM integration"); 1-${MAX_LABEL_LENGTH} characters, trimmed.`,
    ),
  ),
});
export type CreateApiKeyInput = z.output<typeof createApiKeyInput>;
/** What a partner may send to create a key: the console's form builds this. */
export type CreateApiKeyBody = z.input<typeof createApiKeyInput>;

/** A key as partners see it: never the key itself, which is shown only once. */
export const apiKeyResource = z.object({
  id: z.string().check(z.describe('`key_…`: what `DELETE /v1/api-keys/{id}` takes.')),
  label: z.string(),
  prefix: z.string().check(z.describe('The first 8 characters of the key, to tell keys apart.')),
  createdAt: timestamp,
  lastUsedAt: z
    .nullable(timestamp)
    .check(
      z.describe(
        'When the key was last used, to the hour (it may lag by up to an hour); null: not yet.',
      ),
    ),
});
export type ApiKeyResource = z.output<typeof apiKeyResource>;

/** The create's answer: the only place the key is ever shown. */
export const apiKeyWithSecret = z.extend(z.omit(apiKeyResource, { lastUsedAt: true }), {
  key: z
    .string()
    .check(
      z.describe(
        'The key (`sak_…`), shown only in this answer: store it now. Send it as `Authorization: Bearer <key>`.',
      ),
    ),
});
export type ApiKeyWithSecret = z.output<typeof apiKeyWithSecret>;

export const apiKeyList = z.object({
  items: z.array(apiKeyResource).check(z.describe('Oldest first.')),
});
export type ApiKeyList = z.output<typeof apiKeyList>;
