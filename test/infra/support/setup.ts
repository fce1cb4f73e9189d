import { afterAll } from 'vitest';
import { removeOutdirs } from './service-app.ts';

// A setup file runs for every test file, also in a worker that keeps its modules across files
// (isolate: false), where an afterAll in service-app.ts would only ever join the first file.
afterAll(removeOutdirs);
