/**
 * Run the torture against a deliberately broken copy of the library: copy the compiled library
 * (dist/) to a temporary directory, apply one of the model checker's mutants (src/check/mutants.ts)
 * as a text patch to the compiled protocol, and run `smpcall torture` from that copy in a child
 * process, with an outer time limit in case the broken copy hangs its main thread for good. Says
 * whether and how fast the torture caught it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mutants, mutantByName, type Mutant } from '../check/mutants.js';
import { TortureUsageError } from './options.js';

/** Type annotations of the TS source do not exist in the compiled JS: drop the simple ones. */
function asJs(text: string): string {
  return text.replace(/(\w)\s*:\s*(?:Ctx|number|boolean|void|string)\b/g, '$1').replace(/\)\s*:\s*(?:number|boolean|void)\s*\{/g, ') {');
}

/**
 * Find `find` in compiled text: the same tokens, whatever whitespace tsc put between them (it
 * re-indents and breaks one-line ifs), with simple type annotations dropped.
 */
function locate(text: string, find: string): { at: number; length: number } | undefined {
  const exact = text.indexOf(find);
  if (exact >= 0) return { at: exact, length: find.length };
  const tokens = asJs(find).trim().split(/\s+/).map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const m = new RegExp(tokens.join('\\s*')).exec(text);
  return m ? { at: m.index, length: m[0].length } : undefined;
}

/** Apply a mutant to the compiled files under `dist`. Throws if a patch does not apply (mutants must not rot silently). */
export function applyMutant(dist: string, m: Mutant): void {
  for (const p of m.patches) {
    const file = join(dist, 'protocol', p.file.replace(/\.ts$/, '.js'));
    const text = readFileSync(file, 'utf8');
    const hit = locate(text, p.find);
    if (hit === undefined) throw new TortureUsageError(`mutant "${m.name}": its patch to ${p.file} does not apply to the compiled ${file}`);
    const replacement = text.includes(p.find) ? p.replace : asJs(p.replace);
    writeFileSync(file, text.slice(0, hit.at) + replacement + text.slice(hit.at + hit.length));
    // A patch that leaves a syntax error would be "caught" for the wrong reason: refuse it.
    const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
    if (check.status !== 0) {
      throw new TortureUsageError(`mutant "${m.name}": its patch to ${p.file} leaves a syntax error in the compiled file: ${(check.stderr.split('\n').find((l) => /Error/.test(l)) ?? '').trim()}`);
    }
  }
}

export function listMutants(log: (l: string) => void): void {
  log('broken builds for --broken (the model checker\'s mutants, applied to the compiled protocol):');
  for (const m of mutants) log(`  ${m.name.padEnd(24)} ${m.about}`);
}

/** Run the torture from a broken copy; returns the exit code (0 only when the bug was caught). */
export async function runBroken(name: string, argv: string[], log: (l: string) => void): Promise<number> {
  const m = mutantByName(name);
  if (m === undefined) throw new TortureUsageError(`no broken build named "${name}" (known: ${mutants.map((x) => x.name).join(', ')})`);
  const dist = fileURLToPath(new URL('..', import.meta.url));
  const root = mkdtempSync(join(os.tmpdir(), `smpcall-broken-${name}-`));
  try {
    cpSync(dist, join(root, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.map') });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'smpcall-broken', type: 'module', private: true }));
    applyMutant(join(root, 'dist'), m);
    const args = [join(root, 'dist', 'cli.js'), 'torture', ...argv, '--stop-on-error'];
    if (!argv.includes('--progress')) args.push('--progress', 'lines');
    log(`smpcall torture --broken ${name}: ${m.about}`);
    log(`  patched copy in ${root}; running: node ${args.slice(1).join(' ')}`);
    const durationArg = argv.indexOf('--duration');
    const stallArg = argv.indexOf('--stall-ms');
    const durationMs = durationArg >= 0 ? parseDurationLoose(argv[durationArg + 1]!) : 30_000;
    const stallMs = stallArg >= 0 ? Number(argv[stallArg + 1]) : 5000;
    // The child gives up by itself after its hang grace; this is for a child whose main thread is stuck for good.
    const limitMs = durationMs + Math.max(3 * stallMs, 15_000) + 20_000;
    const began = Date.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let firstError = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      process.stdout.write(chunk);
      const hit = /first error after ([\d.]+) s: (.*)/.exec(chunk);
      if (hit) firstError = `${hit[1]} s (${hit[2]!.slice(0, 160)})`;
    });
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, limitMs);
    const code: number = await new Promise((r) => child.on('exit', (c) => r(c ?? 1)));
    clearTimeout(timer);
    const wall = ((Date.now() - began) / 1000).toFixed(1);
    if (killed) {
      log(`broken build "${name}": CAUGHT as a hang: the torture did not finish and was killed after ${wall} s`);
      return 0;
    }
    if (code === 1) {
      log(`broken build "${name}": CAUGHT: first error after ${firstError || '?'}; the run ended after ${wall} s (exit code 1)`);
      return 0;
    }
    log(`broken build "${name}": NOT caught (exit code ${code} after ${wall} s)`);
    return 1;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function parseDurationLoose(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text);
  if (!m) return 30_000;
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3600_000 }[(m[2] ?? 's') as 'ms'];
}
