/**
 * The main job (`npm start`): start a domain with 2 workers, show each kind of call, then measure
 * in one run, side by side: smpcall callSync and call, the raw Atomics floor, and postMessage.
 */
import os from 'node:os';
import { start } from '../index.js';
import type calls from './calls.js';
import { measure, ratio, type Sample } from './measure.js';
import { startFloor } from '../bench/floors.js';
import { startPostMessage } from '../bench/peers/post-message.js';
import { CliUsageError, parseOptions } from '../cli-options.js';

const show = (kind: string, route: string, what: string, result: unknown): void =>
  console.log(`  ${kind.padEnd(9)} ${route.padEnd(16)} ${what.padEnd(30)} → ${typeof result === 'string' ? JSON.stringify(result) : JSON.stringify(result)}`);

export async function runDemo(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log('usage: smpcall demo [--rounds N]   every kind of call, then a measured comparison table (N rounds, default 15)');
    return 0;
  }
  let rounds: number;
  try {
    // `--rounds N` (measured rounds, default 15) is the demo's one option; anything else is refused.
    rounds = Number(parseOptions(argv, { '--rounds': { min: 1, whole: true } }).get('--rounds') ?? 15);
  } catch (e) {
    if (!(e instanceof CliUsageError)) throw e;
    console.error(`smpcall demo: ${e.message} (smpcall demo [--rounds N])`);
    return 2;
  }
  const domain = await start<typeof calls>({ workers: 2, calls: new URL('./calls.js', import.meta.url) });
  console.log(`smpcall demo: main thread (agent 0) + 2 workers (agents 1, 2); Node ${process.version}, ${os.availableParallelism?.() ?? os.cpus().length} cores\n`);

  console.log('Each kind of call:');
  show('call', 'main → 1', 'add(1, 2)', await domain.call(1, 'add', 1, 2));
  show('callSync', 'main → 2', 'add(3, 4)', domain.callSync(2, 'add', 3, 4));
  show('callSync', 'main → 1', 'greet("ada")', domain.callSync(1, 'greet', 'ada'));
  domain.post(1, 'note', 'posted first');
  domain.post(1, 'note', 'posted second');
  show('post', 'main → 1', 'note(...) ×2, then notes()', domain.callSync(1, 'notes'));
  show('nested', 'main → 1 → 2', 'addVia(2, 5, 6)', domain.callSync(1, 'addVia', 2, 5, 6));
  show('nested', 'main → 1 → main', 'addVia(0, 7, 8)', domain.callSync(1, 'addVia', 0, 7, 8));
  show('chain', 'main → 1 ⇄ 2 ×6', 'bounce(6, 2)', domain.callSync(1, 'bounce', 6, 2));
  const xs = Array.from({ length: 1000 }, (_, i) => i);
  show('arena', 'main → 2', 'stats([0..999])', domain.callSync(2, 'stats', xs));
  show('async fn', 'main → 1', 'sleep(5)', domain.callSync(1, 'sleep', 5));
  try {
    domain.callSync(2, 'fail', 'on purpose');
  } catch (e) {
    const err = e as Error & { code: string; cause: Error };
    show('error', 'main → 2', 'fail("on purpose")', `${err.code}: ${err.cause.name}: ${err.cause.message}`);
  }
  try {
    // @ts-expect-error: an unknown name is a compile error too
    await domain.call(1, 'nope');
  } catch (e) {
    show('refused', 'main → 1', 'nope()', (e as { code: string }).code);
  }

  console.log(`\nRound trip of add(i, 1), measured side by side in ${rounds} interleaved rounds (median):\n`);
  const floor = await startFloor(false);
  const pm = await startPostMessage(1);
  let sink = 0;
  const samples = await measure(
    [
      { name: 'raw Atomics spin round trip (the floor)', n: 20000, batch: (n) => floor.batch(n) },
      {
        name: 'smpcall callSync',
        n: 20000,
        batch: (n) => {
          for (let i = 0; i < n; i++) sink += domain.callSync(1, 'add', i, 1);
        },
      },
      {
        name: 'smpcall call (await each)',
        n: 5000,
        batch: async (n) => {
          for (let i = 0; i < n; i++) sink += await domain.call(1, 'add', i, 1);
        },
      },
      {
        name: 'postMessage round trip',
        n: 500,
        batch: async (n) => {
          for (let i = 0; i < n; i++) sink += (await pm.to(0, i)) as number;
        },
      },
    ],
    rounds,
    (r) => {
      if (process.stderr.isTTY) process.stderr.write(`\r  round ${r + 1}/${rounds}`);
    },
  );
  if (process.stderr.isTTY) process.stderr.write('\r' + ' '.repeat(30) + '\r');
  await floor.close();
  await pm.close();
  const [fl, sync, asy, post] = samples as [Sample, Sample, Sample, Sample];
  const rows = samples.map((s) => [s.name, s.us.toFixed(2), `${ratio(s, fl).toFixed(2)}x`, `${(1 / ratio(s, post)).toFixed(1)}x faster`]);
  rows[3]![3] = '1.0x';
  const head = ['', 'µs per call', 'vs floor', 'vs postMessage'];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (r: string[]): string => `| ${r.map((x, c) => (c === 0 ? x.padEnd(widths[c]!) : x.padStart(widths[c]!))).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|')}|`);
  for (const r of rows) console.log(line(r));
  console.log(
    `\ncallSync is ${ratio(sync, fl).toFixed(2)}x the floor; call is ${(1 / ratio(asy, post)).toFixed(0)}x faster than postMessage` +
      ` (3 agents on ${os.availableParallelism?.() ?? os.cpus().length} cores; checksum ${sink % 1000}).`,
  );
  const st = domain.stats();
  console.log(`express-lane sends by main: ${st[0]!.express}, slot sends: ${st[0]!.sent - st[0]!.express}, doorbells rung: ${st.reduce((s, a) => s + a.rings, 0)}`);
  await domain.close();
  return 0;
}
