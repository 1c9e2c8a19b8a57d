/**
 * The restart policy's backoff (supervisor.ts). A replacement that exits before it served, or soon
 * after it began to (its module throws or exits as it loads, something kills it at once), is a crash
 * loop, not a crash: the next one waits, RESTART_BACKOFF_MS after the first such exit, doubling up to
 * RESTART_BACKOFF_MAX_MS, as systemd's RestartSec and Kubernetes' CrashLoopBackOff do. Without it
 * `restart: true` spawned such workers as fast as they could start (15 a second here, for ever). A
 * replacement that serves ends the loop; a crash after serving restarts at once, and so does a worker
 * ended by terminate(id). Calls to the agent meanwhile fail at once with ERR_SMPCALL_AGENT_GONE, as
 * between any exit and its restart.
 */
const RESTART_BACKOFF_MS = 10;
const RESTART_BACKOFF_MAX_MS = 2000;
/** A replacement that exits within this long of beginning to serve did not serve (ms). */
export const RESTART_SETTLE_MS = 1000;

/** The wait before the next replacement, after `early` replacements in a row exited before serving. */
export const restartBackoffMs = (early: number): number => (early === 0 ? 0 : Math.min(RESTART_BACKOFF_MAX_MS, RESTART_BACKOFF_MS * 2 ** (early - 1)));
