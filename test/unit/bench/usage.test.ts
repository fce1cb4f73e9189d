import { describe, expect, it } from 'vitest';
import { usageOf } from '../../../bench/usage.ts';

describe('usageOf', () => {
  it('counts transitions, invocations, request units, recipients and API requests', () => {
    const usage = usageOf({
      statesEntered: ['Configure', 'WaitForActivation', 'Settle', 'Outcome', 'Activated'],
      invocations: [
        { module: 'api/create-request', durationMs: 10.2 },
        { module: 'workflow/send-activation', durationMs: 0.4 },
      ],
      dynamo: [
        { kind: 'write', tableUnits: 1, indexUnits: 0 },
        { kind: 'write', tableUnits: 1, indexUnits: 1 },
        { kind: 'read', tableUnits: 0.5, indexUnits: 0 },
        { kind: 'read', tableUnits: 1, indexUnits: 0 },
      ],
      emailRecipients: 4,
      apiRequests: 3,
    });
    expect(usage).toEqual({
      stateTransitions: 5,
      lambdaInvocations: 2,
      lambdaBilledMs: 11 + 1,
      dynamoReads: 2,
      dynamoWrites: 2,
      dynamoReadUnits: 1.5,
      dynamoWriteUnits: 3,
      sesEmails: 4,
      apiRequests: 3,
    });
  });
});
