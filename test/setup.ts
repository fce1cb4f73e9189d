import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, beforeEach } from 'vitest';

/**
 * A quiet suite that still shows why a test failed. Handlers log (and Powertools Metrics
 * prints EMF) through their own `Console` on process.stdout and process.stderr, not through
 * the global console, so vitest's `silent: 'passed-only'` (vitest.config.ts) cannot hold those
 * lines back. This does the same for them: whatever is written to either stream during a test
 * is held, replayed when that test fails, and dropped when it passes. Writes outside a test
 * (a file's beforeAll, work still running after its test) are replayed only if the file
 * fails.
 */
type Chunk = string | Uint8Array;
type Replay = () => void;

let held: Replay[] = [];

const replay = () => {
  const writes = held;
  held = [];
  for (const write of writes) write();
};

type Write = (chunk: Chunk, encoding?: BufferEncoding) => boolean;

// Workers that run several files (isolate: false) run this file again for each: keep the
// stream's own write, so holding never wraps a previous file's hold.
const OWN_WRITE = Symbol.for('smart-account-requests.test.ownWrite');

const hold = (stream: NodeJS.WriteStream & { [OWN_WRITE]?: Write }) => {
  stream[OWN_WRITE] ??= stream.write.bind(stream) as Write;
  const write = stream[OWN_WRITE];
  stream.write = ((chunk: Chunk, ...rest: unknown[]) => {
    const encoding = typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : undefined;
    const done = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    held.push(() => write(chunk, encoding));
    // The writer goes on as if the chunk had been flushed.
    if (done) queueMicrotask(done);
    return true;
  }) as typeof stream.write;
};

hold(process.stdout);
hold(process.stderr);

beforeEach(({ onTestFailed }) => {
  held = [];
  onTestFailed(replay);
});

// biome-ignore lint/correctness/noEmptyPattern: vitest passes fixtures first and reads them by destructuring
afterAll(({}, file) => {
  const failed =
    file.result?.state === 'fail' ||
    (file.result?.errors?.length ?? 0) > 0 ||
    file.tasks.some((task) => task.result?.state === 'fail');
  if (failed) replay();
  held = [];
});
