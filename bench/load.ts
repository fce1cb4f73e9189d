import autocannon from 'autocannon';
import { benchRequest } from './requests.ts';

export interface LoadTarget {
  readonly name: string;
  readonly url: string;
  readonly path: string;
  readonly headers: Record<string, string>;
}

export interface LoadRun {
  /** Response time of every 2xx response, ms. */
  readonly latencies: number[];
  /** From starting the load to the last response (autocannon's own duration ticks per second). */
  readonly elapsedMs: number;
  readonly ok: number;
  readonly failed: number;
  readonly statusCodes: Record<string, number>;
}

/**
 * `amount` POSTs with fresh bodies over `connections` keep-alive connections on loopback; the
 * latency of each response is recorded, so percentiles can be taken over several runs.
 */
export const runLoad = (
  target: LoadTarget,
  options: { amount: number; connections: number },
): Promise<LoadRun> =>
  new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const startedAt = performance.now();
    let lastResponseAt = startedAt;
    const instance = autocannon(
      {
        url: target.url,
        connections: options.connections,
        amount: options.amount,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            path: target.path,
            headers: { 'content-type': 'application/json', ...target.headers },
            setupRequest: (request) => ({
              ...request,
              body: JSON.stringify(benchRequest(target.name)),
            }),
          },
        ],
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        const statusCodes = Object.fromEntries(
          Object.entries(result.statusCodeStats).map(([code, stat]) => [code, stat.count]),
        );
        resolve({
          latencies,
          elapsedMs: lastResponseAt - startedAt,
          ok: latencies.length,
          failed: result.errors + result.timeouts + result.non2xx,
          statusCodes,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      lastResponseAt = performance.now();
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
