// The worker: prettier's format is async; runAsWorker makes it callable synchronously from main.js.
// synckit's side of the comparison: ../worker.js with the synckit import.
import { runAsWorker } from 'synckit';
import { format } from 'prettier';

runAsWorker(async (source, options) => format(source, options));
