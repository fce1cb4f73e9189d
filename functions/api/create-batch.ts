import {
  domainLocks,
  eventPublisher,
  idempotencyStore,
  requestStore,
  workflow,
} from '../adapters/wiring.ts';
import { normalizeAccountDomain } from '../domain/account-domain.ts';
import { runBatch } from '../domain/batch-intake.ts';
import { RequestIntake } from '../domain/request-intake.ts';
import {
  createBatchInput,
  createRequestInput,
  createRequestQuery,
} from '../domain/request-schema.ts';
import { toResource } from '../domain/smart-account-request.ts';
import { apiHandler } from '../http/api-handler.ts';
import { withIdempotency } from '../http/idempotency.ts';
import { problemBody, problemFor } from '../http/problem.ts';
import { readJsonBody } from '../http/request-body.ts';
import { json } from '../http/responses.ts';
import { parseWith, queryOf } from '../http/validation.ts';
import { config } from '../shared/config.ts';
import { newErrorId } from '../shared/crypto.ts';
import { logger } from '../shared/logger.ts';
import { businessMetrics } from '../shared/metrics.ts';
import { requesterOf } from './requester.ts';

/** 100 create bodies of up to 64 KiB each would be more; a MiB is what the contract allows. */
const MAX_BATCH_BYTES = 1024 * 1024;

const intake = new RequestIntake(requestStore(), domainLocks(), workflow(), {
  activationTimeoutSeconds: config.activationTimeoutSeconds(),
  reminderOffsetsSeconds: config.reminderOffsetsSeconds(),
  abandonedAfterSeconds: config.abandonedAfterSeconds(),
});
const idempotency = idempotencyStore();
const events = eventPublisher();

const domainOf = (item: unknown): string | undefined => {
  const domain = (item as { accountDomain?: unknown } | null)?.accountDomain;
  if (typeof domain !== 'string') return undefined;
  const checked = normalizeAccountDomain(domain);
  return checked.ok ? checked.domain : undefined;
};

/**
 * `POST …/batch`: each item is created (202) or refused (its 400, 409, 503 …) exactly as a single
 * create would answer it; the batch itself is a 200 unless its envelope is wrong. An
 * Idempotency-Key replays the whole answer (its own scope: a single create's key is another).
 */
export const handler = apiHandler(async (event) => {
  const requester = requesterOf(event);
  const { dryRun } = parseWith(createRequestQuery, queryOf(event.queryStringParameters));
  const { items } = parseWith(createBatchInput, readJsonBody(event, MAX_BATCH_BYTES));
  const answer = async () => {
    const results = await runBatch(items, {
      domainOf,
      each: async (item, index) => {
        try {
          const input = parseWith(createRequestInput, item);
          if (dryRun) return { index, status: 200, request: intake.preview(requester, input) };
          const request = await intake.create(requester, input);
          businessMetrics.requestCreated();
          await events.publishOrLeaveToSweep(request);
          return { index, status: 202, request: toResource(request) };
        } catch (error) {
          const problem = problemFor(error);
          const errorId = newErrorId();
          if (problem.status >= 500) {
            logger.error('batch item failed', { errorId, index, error });
          }
          return { index, status: problem.status, problem: problemBody(problem, errorId) };
        }
      },
    });
    return json(200, { items: results });
  };
  if (dryRun) return answer();
  return withIdempotency(
    idempotency,
    `batch:${requester.partnerId}`,
    event.headers['idempotency-key'],
    items,
    answer,
  );
});
