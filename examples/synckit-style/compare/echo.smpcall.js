import { runAsWorker } from 'smpcall/sync';

runAsWorker(async (x) => x);
