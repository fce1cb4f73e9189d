import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FunctionEntry } from '../../../functions/catalog.ts';
import { startSchedules } from '../../../local/lambda-registry.ts';

const entry = (module: string, trigger: FunctionEntry['trigger']): FunctionEntry => ({
  module,
  load: () => Promise.reject(new Error('not loaded: invoke is replaced')),
  trigger,
  uses: {},
});

describe('local schedules', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('invokes each scheduled function at its rate with a scheduled event, until stopped', async () => {
    const invoked: { module: string; event: { 'detail-type': string; source: string } }[] = [];
    const stop = startSchedules(
      [
        entry('workflow/sweep', { kind: 'schedule', everyMinutes: 5 }),
        entry('api/health', { kind: 'routes', routes: [] }),
      ],
      async (module, event) => {
        invoked.push({ module, event: event as (typeof invoked)[number]['event'] });
      },
    );

    await vi.advanceTimersByTimeAsync(4 * 60_000);
    expect(invoked).toEqual([]);
    await vi.advanceTimersByTimeAsync(6 * 60_000);
    expect(invoked.map((call) => call.module)).toEqual(['workflow/sweep', 'workflow/sweep']);
    expect(invoked[0]?.event).toMatchObject({
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
    });

    stop();
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    expect(invoked).toHaveLength(2);
  });

  it('keeps the schedule after a failed run', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    let calls = 0;
    const stop = startSchedules(
      [entry('workflow/sweep', { kind: 'schedule', everyMinutes: 1 })],
      async () => {
        calls += 1;
        throw new Error('store unavailable');
      },
    );
    await vi.advanceTimersByTimeAsync(3 * 60_000);
    stop();
    expect(calls).toBe(3);
    expect(errors).toHaveBeenCalledTimes(3);
    errors.mockRestore();
  });
});
