// The worker: prettier's format is async; runAsWorker makes it callable synchronously from main.js.
// The only change from the synckit version is the import below (it imported synckit).
import { runAsWorker } from 'smpcall/sync';
import { format } from 'prettier';

runAsWorker(async (source, options) => format(source, options));
