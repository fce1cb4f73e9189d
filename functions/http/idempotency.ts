import type { APIGatewayProxyResult } from 'aws-lambda';
import type { IdempotencyStore } from '../domain/ports.ts';
import { createRequestHeaders, IDEMPOTENCY_KEY_HEADER } from '../domain/request-schema.ts';
import { sha256 } from '../shared/crypto.ts';
import { IdempotencyInProgress, IdempotencyKeyReused } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { businessMetrics } from '../shared/metrics.ts';
import { parseWith } from './validation.ts';

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
  parseWith(createRequestHeaders, { [IDEMPOTENCY_KEY_HEADER]: key });
  const bodyHash = sha256(JSON.stringify(fingerprint));
  const existing = await store.claim(scope, key, bodyHash);
  if (existing) {
    if (existing.bodyHash !== bodyHash) {
      throw new IdempotencyKeyReused('This Idempotency-Key was used with a different body.');
    }
    if (existing.state === 'COMPLETED' && existing.response) {
      businessMetrics.idempotentReplay();
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
