import { type CostBreakdown, costOf, humanApprovalUsage } from './cost-model.ts';
import type { CostStackInfo, OutcomeMeasurement } from './cost-stack.ts';
import { startPhase } from './phase-process.ts';
import { mean } from './stats.ts';
import { type MeasuredUsage, usageOf } from './usage.ts';

/** infra/constructs/handler-function.ts: every function has 1,024 MB on arm64. */
export const LAMBDA_MEMORY_MB = 1024;

export interface OutcomeCost {
  readonly measurement: OutcomeMeasurement;
  readonly usage: MeasuredUsage;
  readonly per1000: CostBreakdown;
}

export interface CostResult {
  readonly activationTimeoutSeconds: number;
  readonly reminderOffsetsSeconds: readonly number[];
  readonly outcomes: readonly OutcomeCost[];
  /** The human approval sample, its Lambdas given our mean measured invocation time. */
  readonly sample: { readonly msPerInvocation: number; readonly per1000: CostBreakdown };
}

/** One real request per outcome on a local stack whose activation timeout is a few seconds. */
export const measureCosts = async (activationTimeoutSeconds: number): Promise<CostResult> => {
  const phase = await startPhase<CostStackInfo>('./cost-stack.ts', [
    String(activationTimeoutSeconds),
  ]);
  try {
    const measurements = await phase.call<OutcomeMeasurement[]>('run');
    const outcomes = measurements.map((measurement) => {
      const usage = usageOf(measurement);
      return { measurement, usage, per1000: costOf(usage, LAMBDA_MEMORY_MB) };
    });
    const msPerInvocation = mean(
      measurements.flatMap((m) => m.invocations.map((invocation) => invocation.durationMs)),
    );
    return {
      activationTimeoutSeconds: phase.info.activationTimeoutSeconds,
      reminderOffsetsSeconds: phase.info.reminderOffsetsSeconds,
      outcomes,
      sample: {
        msPerInvocation,
        per1000: costOf(humanApprovalUsage(msPerInvocation), LAMBDA_MEMORY_MB),
      },
    };
  } finally {
    await phase.close();
  }
};
