import { billedMs, type RequestUsage } from './cost-model.ts';

/** What the cost phase measured for one request (see cost-stack.ts). */
export interface OutcomeCounts {
  readonly statesEntered: readonly string[];
  readonly invocations: readonly { readonly module: string; readonly durationMs: number }[];
  readonly dynamo: readonly {
    readonly kind: 'read' | 'write';
    readonly tableUnits: number;
    readonly indexUnits: number;
  }[];
  readonly emailRecipients: number;
  readonly apiRequests: number;
}

export interface MeasuredUsage extends RequestUsage {
  readonly dynamoReads: number;
  readonly dynamoWrites: number;
}

/** Turns the counts of one real request into billable usage. Pure. */
export const usageOf = (counts: OutcomeCounts): MeasuredUsage => {
  const reads = counts.dynamo.filter((call) => call.kind === 'read');
  const writes = counts.dynamo.filter((call) => call.kind === 'write');
  const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
  return {
    stateTransitions: counts.statesEntered.length,
    lambdaInvocations: counts.invocations.length,
    lambdaBilledMs: billedMs(counts.invocations.map((invocation) => invocation.durationMs)),
    dynamoReads: reads.length,
    dynamoWrites: writes.length,
    dynamoReadUnits: sum(reads.map((call) => call.tableUnits)),
    dynamoWriteUnits: sum(writes.map((call) => call.tableUnits + call.indexUnits)),
    sesEmails: counts.emailRecipients,
    apiRequests: counts.apiRequests,
  };
};
