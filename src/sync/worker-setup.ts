/**
 * What a sync worker needs to know at start (its file, how to load it, the global shims), carried in
 * the query of the calls module's URL as one base64url parameter: `calls.js?sync=<base64url(JSON)>`.
 *
 * Not as plain query parameters: URLSearchParams writes a file URL's slashes as `%2F`, and Deno's
 * resolver for modules under node_modules (its Node-compatible one) refuses any specifier with an
 * encoded slash (ERR_INVALID_MODULE_SPECIFIER), so a sync worker installed from npm never started on
 * Deno. base64url has no `%` and no `/`.
 */

/** A global shim as the worker gets it: the module already resolved (a file URL or a builtin's name). */
export interface WorkerShim {
  specifier: string;
  globalName?: string;
  named?: string | null;
  conditional?: boolean;
}

export interface WorkerSetup {
  /** The worker file, as a file URL. */
  worker: string;
  /** Load it with `require` (a CommonJS file), not `import`. */
  require: boolean;
  shims: WorkerShim[];
}

const PARAM = 'sync';

function toBase64Url(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(b64: string): string {
  const binary = atob(b64.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/** The calls module's URL with the worker's set-up in its query. */
export function withWorkerSetup(callsUrl: URL, setup: WorkerSetup): URL {
  const url = new URL(callsUrl);
  url.search = `?${PARAM}=${toBase64Url(JSON.stringify(setup))}`;
  return url;
}

/** Does this URL carry a worker's set-up? */
export const hasWorkerSetup = (url: string): boolean => url.includes(`?${PARAM}=`);

/** The set-up in a calls module URL, or undefined when it has none (the main thread's import, for the table). */
export function workerSetupOf(url: string): WorkerSetup | undefined {
  const value = new URL(url).searchParams.get(PARAM);
  return value === null ? undefined : (JSON.parse(fromBase64Url(value)) as WorkerSetup);
}
