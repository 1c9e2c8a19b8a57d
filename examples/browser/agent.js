// The module every worker of the demo runs: it serves the demo's call table. The page makes its
// workers from this file (start()'s `worker` option), so a bundler sees `new Worker(new URL(...))`
// and bundles this module with the library and the table, like any worker of the app.
import { serveCalls } from '../../dist/web-worker.js';
import calls from './calls.js';

serveCalls(calls);
