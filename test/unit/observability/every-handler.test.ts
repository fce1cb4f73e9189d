import { beforeAll, describe, expect, it, vi } from 'vitest';
import { catalog } from '../../../functions/catalog.ts';
import { isObserved } from '../../../functions/shared/observability.ts';

beforeAll(() => {
  // Enough configuration for every module's scope to build its clients, as on Lambda.
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('TABLE_NAME', 'requests');
  vi.stubEnv('STATE_MACHINE_ARN', 'arn:aws:states:eu-west-1:123456789012:stateMachine:sar');
  vi.stubEnv('PUBLIC_BASE_URL', 'https://accounts.example');
  vi.stubEnv('SENDER_EMAIL', 'no-reply@accounts.example');
  vi.stubEnv('ACTIVATION_SECRET', 'unit-test-secret');
  vi.stubEnv('EVENT_BUS_NAME', 'smart-account-requests');
  vi.stubEnv(
    'DELIVERY_STATE_MACHINE_ARN',
    'arn:aws:states:eu-west-1:123456789012:stateMachine:webhook-delivery',
  );
});

describe('every function in the catalog', () => {
  it.each(catalog.map((entry) => entry.module))(
    '%s is wrapped in the observability middlewares (request id, cold start, keys reset, metrics)',
    async (module) => {
      const entry = catalog.find((candidate) => candidate.module === module);
      const { handler } = (await entry?.load()) ?? {};
      expect(isObserved(handler)).toBe(true);
    },
  );
});
