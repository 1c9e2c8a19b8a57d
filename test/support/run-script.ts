/** Run a compiled fixture script in a child Node process, as a user's program would run. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ScriptRun {
  code: number | null;
  /** True when it had not exited by itself within the limit and was killed. */
  killed: boolean;
  out: string;
  err: string;
}

/** Run `script` (a URL next to the test) with `mode` as its argument; kill it (and say so) after `limitMs`. */
export function runScript(script: URL, mode: string, limitMs = 30_000): Promise<ScriptRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [fileURLToPath(script), mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, killed, out, err });
    });
  });
}
