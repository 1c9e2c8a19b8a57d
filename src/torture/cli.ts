/** `smpcall torture [options]`: parse, run, print, exit 1 on any error (2 on bad usage). */
import { USAGE, parseArgs } from './options.js';

export async function runTortureCli(argv: string[]): Promise<number> {
  const log = (l: string): void => console.log(l);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(argv);
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  if (parsed.help) {
    log(USAGE);
    return 0;
  }
  try {
    if (parsed.listMutants) {
      (await import('./broken.js')).listMutants(log);
      return 0;
    }
    if (parsed.broken !== undefined) {
      const rest = argv.filter((a, i) => a !== '--broken' && argv[i - 1] !== '--broken');
      return await (await import('./broken.js')).runBroken(parsed.broken, rest, log);
    }
    const { torture } = await import('./index.js');
    const r = await torture({ ...parsed.options, exitOnHang: true });
    if (parsed.json) log(JSON.stringify({ ...r, options: { ...r.options } }, null, 2));
    // A stuck domain may still hold the process: exit explicitly.
    process.exit(r.ok ? 0 : 1);
  } catch (e) {
    const err = e as Error & { code?: string };
    console.error(err.name === 'TortureUsageError' ? err.message : err);
    return err.name === 'TortureUsageError' ? 2 : 1;
  }
}
