import type { AddressCheck } from '../domain/webhook-management.ts';
import { config } from '../shared/config.ts';
import { checkResolvedHost, webhookUrlProblem } from '../webhooks/address-check.ts';

/**
 * The address check when an endpoint is added: the URL's form (https, no credentials, an IP
 * literal's range), then every address its host resolves to (functions/webhooks/address-check.ts).
 * The sender checks again at every delivery, since DNS can change. A module of its own, not a
 * factory in wiring.ts: the ranges are built when it loads, and only the create needs them.
 */
export const webhookAddressCheck =
  (allowLocal = config.webhookAllowLocal()): AddressCheck =>
  async (url) => {
    const problem = webhookUrlProblem(url, { allowLocal });
    if (problem) return problem;
    const resolved = await checkResolvedHost(new URL(url).hostname, { allowLocal });
    return resolved.ok ? undefined : resolved.problem;
  };
