import type { APIGatewayProxyResult } from 'aws-lambda';
import type { IdempotencyStore } from '../domain/ports.ts';
import { sha256 } from '../shared/crypto.ts';
import { IdempotencyInProgress, IdempotencyKeyReused, ValidationFailed } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` on create: the same key with the same (normalized) body replays the first
 * response; with another body it is a 422; while the first is running it is a 409.
 */
export const withIdempotency = async (
  store: IdempotencyStore,
  scope: string,
  key: string | undefined,
  fingerprint: unknown,
  run: () => Promise<APIGatewayProxyResult>,
): Promise<APIGatewayProxyResult> => {
  if (key === undefined) return run();
  if (!KEY_PATTERN.test(key)) {
    throw new ValidationFailed([
      { path: 'Idempotency-Key', message: '1-255 printable ASCII characters, no spaces.' },
    ]);
  }
  const bodyHash = sha256(JSON.stringify(fingerprint));
  const existing = await store.claim(scope, key, bodyHash);
  if (existing) {
    if (existing.bodyHash !== bodyHash) {
      throw new IdempotencyKeyReused('This Idempotency-Key was used with a different body.');
    }
    if (existing.state === 'COMPLETED' && existing.response) {
      return {
        ...existing.response,
        headers: { ...existing.response.headers, 'Idempotent-Replayed': 'true' },
      };
    }
    throw new IdempotencyInProgress('In progress');
  }
  let response: APIGatewayProxyResult;
  try {
    response = await run();
  } catch (error) {
    await store.release(scope, key);
    throw error;
  }
  const headers = Object.fromEntries(
    Object.entries(response.headers ?? {}).map(([name, value]) => [name, String(value)]),
  );
  // The request exists now; failing the response because its replay could not be recorded
  // would make the partner retry into a 409. The claim goes stale and the domain lock guards.
  await store
    .complete(scope, key, { statusCode: response.statusCode, headers, body: response.body })
    .catch((error: unknown) => logger.error('idempotency record not completed', { error }));
  return response;
};
