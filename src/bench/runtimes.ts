/**
 * The runtime matrix: each runtime runs the case runner (runner.ts) as a child process; its JSON
 * lines are collected as they come, so a runtime that crashes or hangs still reports what it
 * finished, and its failure is one line ("failed: <first line of the error>") instead of the end of
 * the run. Node 24, Deno 2 and Bun 1 are fetched from npm with npx the first time.
 */
import { execFile, spawn } from 'node:child_process';
import { parseLine, type AllocationResult, type Line, type SessionResult, type WarmupResult } from './messages.js';

export interface RuntimeDef {
  label: string;
  title: string;
  /** How to find the executable, and the arguments that go before the script. */
  resolve(): Promise<{ exe: string; pre: string[] }>;
}

const npxPrint = (pkg: string, args: string[]): Promise<string> =>
  new Promise((resolve, reject) => {
    execFile('npx', ['-y', pkg, ...args], { timeout: 300_000, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      const out = stdout.trim().split('\n').pop() ?? '';
      if (err || !out) reject(new Error(`npx -y ${pkg} failed: ${(stderr || String(err)).trim().split('\n')[0]}`));
      else resolve(out);
    });
  });

export const RUNTIME_DEFS: Record<string, RuntimeDef> = {
  node20: { label: 'node20', title: 'Node 20 (system)', resolve: async () => ({ exe: process.execPath, pre: [] }) },
  node24: { label: 'node24', title: 'Node 24 (npm: node@24)', resolve: async () => ({ exe: await npxPrint('node@24', ['-p', 'process.execPath']), pre: [] }) },
  deno2: {
    label: 'deno2',
    title: 'Deno 2 (npm: deno@2)',
    resolve: async () => ({ exe: await npxPrint('deno@2', ['eval', 'console.log(Deno.execPath())']), pre: ['run', '-A'] }),
  },
  bun1: { label: 'bun1', title: 'Bun 1 (npm: bun@1)', resolve: async () => ({ exe: await npxPrint('bun@1', ['-e', 'console.log(process.execPath)']), pre: [] }) },
};

export interface RuntimeRun {
  label: string;
  title: string;
  runtime?: string;
  version?: string;
  cores?: number;
  sessions: SessionResult[];
  failedSessions: { name: string; error: string }[];
  allocation?: AllocationResult;
  warmup?: WarmupResult;
  /** The whole runtime failed (could not start, crashed, timed out). */
  failed?: string;
  seconds: number;
}

/** The first line of a child's stderr that looks like the error, else its first line. */
export function errorLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const err = lines.find((l) => /(^|\b)([A-Z][a-zA-Z]*Error|error)\b[:[]/.test(l)) ?? lines.find((l) => !l.startsWith('at ')) ?? '';
  return err.slice(0, 240);
}

export async function runRuntime(
  def: RuntimeDef,
  script: string,
  args: string[],
  o: { timeoutMs: number; flags?: string[]; onProgress?: (f: number, label: string) => void },
): Promise<RuntimeRun> {
  const t0 = Date.now();
  const run: RuntimeRun = { label: def.label, title: def.title, sessions: [], failedSessions: [], seconds: 0 };
  let exe: string;
  let pre: string[];
  try {
    ({ exe, pre } = await def.resolve());
  } catch (e) {
    run.failed = (e as Error).message.split('\n')[0]!;
    return run;
  }
  o.onProgress?.(0, 'starting');
  const child = spawn(exe, [...pre, ...(o.flags ?? []), script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let partial = '';
  let finished = false;
  const onLine = (line: Line): void => {
    if (line.t === 'meta') Object.assign(run, { runtime: line.runtime, version: line.version, cores: line.cores });
    else if (line.t === 'progress') o.onProgress?.(line.f, line.label);
    else if (line.t === 'session') run.sessions.push(line.session);
    else if (line.t === 'session-failed') run.failedSessions.push({ name: line.name, error: line.error });
    else if (line.t === 'allocation') run.allocation = line.result;
    else if (line.t === 'warmup') run.warmup = line.result;
    else if (line.t === 'done') finished = true;
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const l of lines) {
      const parsed = parseLine(l);
      if (parsed) onLine(parsed);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    if (stderr.length < 1 << 16) stderr += chunk;
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, o.timeoutMs);
  const code = await new Promise<number | null>((resolve) => {
    child.on('close', (c) => resolve(c));
    child.on('error', (e) => {
      stderr += `\n${e.message}`;
      resolve(-1);
    });
  });
  clearTimeout(timer);
  run.seconds = (Date.now() - t0) / 1000;
  if (timedOut) run.failed = `timed out after ${Math.round(o.timeoutMs / 1000)} s${errorLine(stderr) ? ` (${errorLine(stderr)})` : ''}`;
  else if (!finished) run.failed = `exited with ${code}: ${errorLine(stderr) || 'no output'}`;
  return run;
}
