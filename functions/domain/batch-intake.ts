/**
 * A batch of creates: each item is created or refused on its own, and the answer lists them in
 * order with the status and body a single create would give. Items run a few at a time, but two
 * items for the same domain run one after the other, in order, so the first one wins it, as
 * two single creates sent one after the other would.
 */
export interface BatchOutcome<R, P> {
  readonly index: number;
  readonly status: number;
  readonly request?: R;
  readonly problem?: P;
}

export const runBatch = async <R, P>(
  items: readonly unknown[],
  options: {
    /** The domain an item asks for, when it names one (for the same-domain order). */
    readonly domainOf: (item: unknown) => string | undefined;
    readonly each: (item: unknown, index: number) => Promise<BatchOutcome<R, P>>;
    readonly concurrency?: number;
  },
): Promise<BatchOutcome<R, P>[]> => {
  const results: BatchOutcome<R, P>[] = new Array(items.length);
  const lastForDomain = new Map<string, Promise<unknown>>();
  const queue = items.map((item, index) => ({ item, index }));
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const { item, index } = next;
      const domain = options.domainOf(item);
      const before = domain ? lastForDomain.get(domain) : undefined;
      const run = (async () => {
        await before;
        results[index] = await options.each(item, index);
      })();
      if (domain) lastForDomain.set(domain, run);
      await run;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  return results;
};
