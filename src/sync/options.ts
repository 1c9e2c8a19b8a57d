/**
 * `createSyncFn`'s options, with synckit's environment variables (`SYNCKIT_TIMEOUT`,
 * `SYNCKIT_EXEC_ARGV`, `SYNCKIT_TS_RUNNER`, `SYNCKIT_GLOBAL_SHIMS`) and their `SMPCALL_*` twins, read
 * when `createSyncFn` is called. An option wins over its variable; `SMPCALL_*` wins over `SYNCKIT_*`.
 * Values that cannot mean anything are refused with ERR_SMPCALL_USAGE, naming the option or variable.
 */
import { SmpcallError, codes } from '../errors.js';
import { DEFAULT_GLOBAL_SHIMS_PRESET } from './constants.js';
import type { GlobalShim, SyncOptions } from './types.js';

export interface CheckedOptions {
  /** Milliseconds, or undefined for no limit. */
  timeoutMs: number | undefined;
  /** Flags given for the worker (option or variable); undefined: none given, the worker inherits the process's. */
  execArgv: string[] | undefined;
  /** The runner asked for (option or variable), unchecked: it matters only for a TypeScript worker. */
  tsRunner: unknown;
  globalShims: GlobalShim[];
  transferList: readonly unknown[];
}

const refuse = (what: string, why: string): SmpcallError => new SmpcallError(codes.USAGE, `createSyncFn(): ${what} ${why}`);

/** An environment variable by its synckit name: the SMPCALL_ twin first. Empty counts as unset. */
function fromEnv(name: string): { name: string; value: string } | undefined {
  for (const prefix of ['SMPCALL_', 'SYNCKIT_']) {
    const value = process.env[prefix + name];
    if (value !== undefined && value !== '') return { name: prefix + name, value };
  }
  return undefined;
}

function checkShim(s: unknown, k: number): GlobalShim {
  const o = s as GlobalShim;
  const bad = (why: string): SmpcallError => new SmpcallError(codes.USAGE, `createSyncFn(): globalShims[${k}]${why}`);
  if (o === null || typeof o !== 'object') throw bad(` must be { moduleName, globalName?, named?, conditional? }, got ${String(s)}`);
  if (typeof o.moduleName !== 'string' || o.moduleName === '') throw bad(`.moduleName must be a module name, got ${String(o.moduleName)}`);
  if (o.globalName !== undefined && (typeof o.globalName !== 'string' || !/^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u.test(o.globalName))) {
    throw bad(`.globalName must be an identifier, got ${String(o.globalName)}`);
  }
  if (o.named !== undefined && o.named !== null && typeof o.named !== 'string') throw bad(`.named must be a string or null, got ${String(o.named)}`);
  if (o.conditional !== undefined && typeof o.conditional !== 'boolean') throw bad(`.conditional must be a boolean, got ${String(o.conditional)}`);
  return { moduleName: o.moduleName, globalName: o.globalName, named: o.named, conditional: o.conditional };
}

export function checkSyncOptions(timeoutOrOptions: SyncOptions | number | undefined): CheckedOptions {
  const o: SyncOptions = typeof timeoutOrOptions === 'number' ? { timeout: timeoutOrOptions } : (timeoutOrOptions ?? {});
  if (o === null || typeof o !== 'object') throw refuse('the second argument', `must be a timeout in ms or an options object, got ${String(o)}`);

  let timeoutMs = o.timeout;
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs >= 0)) throw refuse('timeout', `must be a number of ms >= 0, got ${String(timeoutMs)}`);
  const envTimeout = fromEnv('TIMEOUT');
  if (timeoutMs === undefined && envTimeout !== undefined) {
    timeoutMs = Number(envTimeout.value);
    if (!(timeoutMs >= 0)) throw refuse(`the environment variable ${envTimeout.name}`, `must be a number of ms >= 0, got ${envTimeout.value}`);
  }

  let execArgv = o.execArgv;
  if (execArgv !== undefined) {
    if (!Array.isArray(execArgv) || !execArgv.every((a) => typeof a === 'string')) throw refuse('execArgv', `must be an array of strings, got ${String(execArgv)}`);
    execArgv = execArgv.filter((a) => a !== '');
  } else {
    execArgv = fromEnv('EXEC_ARGV')
      ?.value.split(',')
      .filter((a) => a !== '');
  }

  const tsRunner = o.tsRunner ?? fromEnv('TS_RUNNER')?.value;

  let shims = o.globalShims;
  if (shims === undefined) {
    const v = fromEnv('GLOBAL_SHIMS')?.value;
    shims = v === '1' || v === 'true';
  }
  if (typeof shims !== 'boolean' && !Array.isArray(shims)) throw refuse('globalShims', `must be a boolean or an array of shims, got ${String(shims)}`);
  const globalShims = shims === true ? DEFAULT_GLOBAL_SHIMS_PRESET : shims === false ? [] : shims.map(checkShim);

  const transferList = o.transferList ?? [];
  if (!Array.isArray(transferList)) throw refuse('transferList', `must be an array, got ${String(transferList)}`);

  return { timeoutMs, execArgv, tsRunner, globalShims, transferList };
}
