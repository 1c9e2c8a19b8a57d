/** The start-up probe's smpcall/sync worker, loading smpcall/sync as users do (the shipped bundle). */
const { runAsWorker } = (await import(new URL('../../bundle/sync/index.js', import.meta.url).href)) as { runAsWorker(fn: (a: number, b: number) => Promise<number>): void };
runAsWorker(async (a, b) => a + b);
