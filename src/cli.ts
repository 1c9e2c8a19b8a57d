#!/usr/bin/env node
/**
 * The `smpcall` command: `smpcall demo` (the main job: every call kind and a measured comparison
 * table), `smpcall bench` (the benchmark against the peers), `smpcall check` (the deterministic model
 * checker), `smpcall torture` (the stress test), `smpcall help`.
 */
const [command = 'help', ...rest] = process.argv.slice(2);

const commands: Record<string, { about: string; run: (argv: string[]) => Promise<number> }> = {
  demo: {
    about: 'start a domain with 2 workers, show each kind of call, print a measured comparison table',
    run: async (argv) => (await import('./demo/run.js')).runDemo(argv),
  },
  bench: {
    about: 'benchmark against the floors and the peers on each runtime; writes a report (smpcall bench --help)',
    run: async (argv) => (await import('./bench/run.js')).runBench(argv),
  },
  check: {
    about: 'model-check the protocol under controlled interleavings (smpcall check --help)',
    run: async (argv) => (await import('./check/cli.js')).runCheck(argv),
  },
  torture: {
    about: 'run a random mix of calls between many agents and check every one (smpcall torture --help)',
    run: async (argv) => (await import('./torture/cli.js')).runTortureCli(argv),
  },
};

// The dev package a command cannot run without (the published package depends on none): when it is
// missing, one line says what to install, instead of a stack trace from deep inside the command.
const NEEDS: Record<string, { pkg: string; say: string }> = {
  check: { pkg: 'typescript', say: 'the model checker compiles the protocol with its compiler API (version 5): npm i -D typescript@5' },
  bench: {
    pkg: 'hdr-histogram-js',
    say: 'the benchmark needs it, and the peers it compares against: npm i -D hdr-histogram-js comlink piscina tinypool workerpool synckit prettier',
  },
};
const need = rest.includes('--help') || rest.includes('-h') ? undefined : NEEDS[command];
let missing = false;
if (need) {
  try {
    import.meta.resolve(need.pkg);
  } catch (e) {
    missing = (e as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND';
  }
}

if (need && missing) {
  console.error(`smpcall ${command}: ${need.pkg} is not installed; ${need.say}`);
  process.exitCode = 1;
} else if (command === 'help' || command === '--help' || command === '-h' || !(command in commands)) {
  const known = command === 'help' || command === '--help' || command === '-h';
  if (!known) console.error(`smpcall: unknown command "${command}"\n`);
  console.log('usage: smpcall <command> [options]\n');
  for (const [name, c] of Object.entries(commands)) console.log(`  ${name.padEnd(8)} ${c.about}`);
  process.exitCode = known ? 0 : 2;
} else {
  process.exitCode = await commands[command]!.run(rest);
}
