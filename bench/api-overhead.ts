import type { ApiStackInfo, ApiStackSnapshot } from './api-stack.ts';
import { type LoadRun, type LoadTarget, runLoad } from './load.ts';
import { startPhase } from './phase-process.ts';
import { interleavedOrder, mean, percentile } from './stats.ts';

export interface LatencySummary {
  readonly requests: number;
  readonly failed: number;
  readonly p50: number;
  readonly p99: number;
  /** 2xx responses per second over the measured runs. */
  readonly throughput: number;
  /**
   * CPU time of the stack process per request, ms: the request itself plus the background
   * workflow it starts (the same for both targets). Less sensitive than latency to other load
   * on the machine.
   */
  readonly cpuMsPerRequest: number;
}

export interface ApiOverheadResult {
  readonly api: LatencySummary;
  readonly baseline: LatencySummary;
  readonly connections: number;
  /** AWS calls per request, by `Service.Operation`. */
  readonly callsPerRequest: {
    readonly api: Record<string, number>;
    readonly baseline: Record<string, number>;
  };
  /** Mean handler time of the create Lambda and of the authorizer, ms. */
  readonly handlerMs: Record<string, number>;
  readonly drained: boolean;
}

export interface ApiOverheadOptions {
  readonly connections: number;
  readonly warmupRequests: number;
  readonly requestsPerRound: number;
  readonly rounds: number;
}

interface MeasuredRun {
  readonly load: LoadRun;
  readonly cpuMs: number;
}

const summarize = (runs: readonly MeasuredRun[]): LatencySummary => {
  const latencies = runs.flatMap((run) => run.load.latencies);
  const elapsedMs = runs.reduce((sum, run) => sum + run.load.elapsedMs, 0);
  const cpuMs = runs.reduce((sum, run) => sum + run.cpuMs, 0);
  return {
    requests: latencies.length,
    failed: runs.reduce((sum, run) => sum + run.load.failed, 0),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    throughput: latencies.length / (elapsedMs / 1000),
    cpuMsPerRequest: cpuMs / Math.max(1, latencies.length),
  };
};

const perRequest = (calls: Record<string, number> | undefined, requests: number) =>
  Object.fromEntries(
    Object.entries(calls ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([operation, count]) => [operation, count / Math.max(1, requests)]),
  );

/**
 * POST /v1/smart-account-requests through the local API Gateway and Lambda handler, against
 * the baseline server doing only the necessary writes and StartExecution, in the same process,
 * with the same clients and endpoints, in interleaved rounds.
 */
export const measureApiOverhead = async (
  options: ApiOverheadOptions,
): Promise<ApiOverheadResult> => {
  const phase = await startPhase<ApiStackInfo>('./api-stack.ts');
  try {
    const api: LoadTarget = {
      name: 'api',
      url: phase.info.apiUrl,
      path: '/v1/smart-account-requests',
      headers: { authorization: `Bearer ${phase.info.partnerKey}` },
    };
    const baseline: LoadTarget = {
      name: 'baseline',
      url: phase.info.baselineUrl,
      path: '/v1/smart-account-requests',
      headers: {},
    };
    const load = { connections: options.connections };
    // Loads handler modules, builds clients, fills the authorizer cache, opens connections.
    for (const target of [api, baseline]) {
      await runLoad(target, { ...load, amount: options.warmupRequests });
    }
    await phase.call('drain');
    await phase.call('reset');

    const runs = new Map<LoadTarget, MeasuredRun[]>([
      [api, []],
      [baseline, []],
    ]);
    for (const target of interleavedOrder([baseline, api], options.rounds)) {
      const cpuBefore = await phase.call<number>('cpu');
      const run = await runLoad(target, { ...load, amount: options.requestsPerRound });
      // The executions this round started mail their customers in the background; let that
      // finish inside this round's CPU window, not on the next target's round.
      await phase.call('drain');
      runs.get(target)?.push({ load: run, cpuMs: (await phase.call<number>('cpu')) - cpuBefore });
    }
    const drained = await phase.call<boolean>('drain');
    const snapshot = await phase.call<ApiStackSnapshot>('snapshot');
    const apiRequests = snapshot.requests.api ?? 0;
    const baselineRequests = snapshot.requests.baseline ?? 0;
    return {
      api: summarize(runs.get(api) ?? []),
      baseline: summarize(runs.get(baseline) ?? []),
      connections: options.connections,
      callsPerRequest: {
        api: perRequest(snapshot.calls.api, apiRequests),
        baseline: perRequest(snapshot.calls.baseline, baselineRequests),
      },
      handlerMs: Object.fromEntries(
        Object.entries(snapshot.invocations)
          .filter(([module]) => module.startsWith('api/'))
          .map(([module, durations]) => [module, mean(durations)]),
      ),
      drained,
    };
  } finally {
    await phase.close();
  }
};
