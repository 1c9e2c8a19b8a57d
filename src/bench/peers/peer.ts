/**
 * The small shape every peer library is driven through, and how peers are loaded: dynamically, so
 * that the published `smpcall bench` runs without them and says which one is missing.
 */
export interface Peer {
  /** Threads this peer started. */
  threads: number;
  /** One round trip of add(a, b) on a worker. */
  add(a: number, b: number): Promise<number>;
  close(): Promise<void>;
}

/** Import a peer's module by name; a clear error when it is not installed. */
export async function importPeer<T>(spec: string): Promise<T> {
  try {
    return (await import(spec)) as T;
  } catch (e) {
    const code = (e as { code?: string }).code;
    const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
    if (code === 'ERR_MODULE_NOT_FOUND' || /Cannot find (module|package)/.test(String(e))) {
      throw new Error(`${pkg} is not installed (npm i -D ${pkg} to compare with it)`);
    }
    throw e;
  }
}

/** Resolve with the first 'online' of a node:worker_threads Worker, reject on its first error. */
export function online(worker: { once(ev: string, fn: (x: unknown) => void): unknown }): Promise<void> {
  return new Promise((resolve, reject) => {
    worker.once('online', () => resolve());
    worker.once('error', reject);
  });
}

export const workerUrl = (name: string): URL => new URL(`../workers/${name}.js`, import.meta.url);
