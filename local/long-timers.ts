/** Node's timers overflow at 2^31-1 ms (~24.8 days) and then fire after 1 ms. */
const MAX_DELAY_MS = 2 ** 31 - 1;

class LongTimeout {
  current: ReturnType<typeof setTimeout> | undefined;
  cleared = false;
}

let installed = false;

/**
 * The 90-day activation wait is a `setTimeout` inside aws-local-stepfunctions, far past Node's
 * limit; without this the wait would "time out" at once. Delays over the limit are chained
 * through shorter timers; everything else goes to the original functions untouched.
 */
export const installLongTimers = (): void => {
  if (installed) return;
  installed = true;
  const originalSet = globalThis.setTimeout;
  const originalClear = globalThis.clearTimeout;

  const longSetTimeout = (
    callback: (...args: unknown[]) => void,
    delay?: number,
    ...args: unknown[]
  ) => {
    if (typeof delay !== 'number' || delay <= MAX_DELAY_MS) {
      return originalSet(callback, delay, ...args);
    }
    const handle = new LongTimeout();
    const deadline = Date.now() + delay;
    const step = () => {
      if (handle.cleared) return;
      const remaining = deadline - Date.now();
      if (remaining <= 0) callback(...args);
      else handle.current = originalSet(step, Math.min(remaining, MAX_DELAY_MS));
    };
    handle.current = originalSet(step, MAX_DELAY_MS);
    return handle;
  };

  const longClearTimeout = (handle: unknown) => {
    if (handle instanceof LongTimeout) {
      handle.cleared = true;
      originalClear(handle.current);
      return;
    }
    originalClear(handle as Parameters<typeof clearTimeout>[0]);
  };

  globalThis.setTimeout = longSetTimeout as unknown as typeof setTimeout;
  globalThis.clearTimeout = longClearTimeout as typeof clearTimeout;
};
