import {
  domainLocks,
  eventPublisher,
  idempotencyStore,
  requestStore,
  workflow,
} from '../adapters/wiring.ts';
import { RequestIntake } from '../domain/request-intake.ts';
import { createRequestInput, createRequestQuery } from '../domain/request-schema.ts';
import { toResource } from '../domain/smart-account-request.ts';
import { apiHandler } from '../http/api-handler.ts';
import { withIdempotency } from '../http/idempotency.ts';
import { readJsonBody } from '../http/request-body.ts';
import { json } from '../http/responses.ts';
import { parseWith, queryOf } from '../http/validation.ts';
import { config } from '../shared/config.ts';
import { businessMetrics } from '../shared/metrics.ts';
import { requesterOf } from './requester.ts';

const intake = new RequestIntake(requestStore(), domainLocks(), workflow(), {
  activationTimeoutSeconds: config.activationTimeoutSeconds(),
  reminderOffsetsSeconds: config.reminderOffsetsSeconds(),
  abandonedAfterSeconds: config.abandonedAfterSeconds(),
});
const idempotency = idempotencyStore();
const events = eventPublisher();

export const handler = apiHandler(async (event) => {
  const requester = requesterOf(event);
  const { dryRun } = parseWith(createRequestQuery, queryOf(event.queryStringParameters));
  const input = parseWith(createRequestInput, readJsonBody(event));
  if (dryRun) return json(200, intake.preview(requester, input));
  return withIdempotency(
    idempotency,
    requester.partnerId,
    event.headers['idempotency-key'],
    input,
    async () => {
      const request = await intake.create(requester, input);
      businessMetrics.requestCreated();
      await events.publishOrLeaveToSweep(request);
      return json(202, toResource(request), {
        Location: `${config.publicBaseUrl()}/v1/smart-account-requests/${request.id}`,
      });
    },
  );
});
