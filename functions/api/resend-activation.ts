import { activationMail } from '../adapters/wiring.ts';
import { toResource } from '../domain/smart-account-request.ts';
import { apiHandler, partnerIdOf, requestIdOf } from '../http/api-handler.ts';
import { json } from '../http/responses.ts';
import { config } from '../shared/config.ts';
import { businessMetrics } from '../shared/metrics.ts';

const customerSide = activationMail();

export const handler = apiHandler(async (event) => {
  const request = await customerSide.resend(
    partnerIdOf(event),
    requestIdOf(event),
    config.maxResends(),
  );
  businessMetrics.activationEmailSent();
  return json(202, toResource(request));
});
