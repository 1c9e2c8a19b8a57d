/**
 * Strict command-line options for the `smpcall` commands: an unknown option or word, a missing value,
 * a number out of range or a name not known is refused in one line (`CliUsageError`), never ignored or
 * replaced by a default. Each command gives its options and what each takes.
 */

/** What an option takes. */
export type OptionSpec =
  | 'flag'
  | 'text'
  | { oneOf: readonly string[] }
  | { listOf: readonly string[]; what: string }
  | { min: number; max?: number; whole: boolean }
  /** Anything `problem` finds nothing wrong with (it says what is wrong, or undefined). */
  | { problem: (value: string) => string | undefined };

/** A command line a command cannot run: its message is the one line to print. */
export class CliUsageError extends Error {}

/** The options given, by their spelling in `spec` ('--rounds', '-h'); a flag's value is ''. */
export function parseOptions(argv: readonly string[], spec: Readonly<Record<string, OptionSpec>>): Map<string, string> {
  const given = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const kind = spec[a];
    if (kind === undefined) throw new CliUsageError(`unknown ${a.startsWith('-') ? 'option' : 'argument'} "${a}"`);
    if (kind === 'flag') {
      given.set(a, '');
      continue;
    }
    const v = argv[++i];
    if (v === undefined || v.startsWith('--')) throw new CliUsageError(`${a} needs a value`);
    const wrong = kind === 'text' ? undefined : problemWith(a, v, kind);
    if (wrong !== undefined) throw new CliUsageError(wrong);
    given.set(a, v);
  }
  return given;
}

function problemWith(a: string, v: string, kind: Exclude<OptionSpec, 'flag' | 'text'>): string | undefined {
  if ('problem' in kind) return kind.problem(v);
  if ('oneOf' in kind) return kind.oneOf.includes(v) ? undefined : `${a} is one of ${kind.oneOf.join(', ')}, not "${v}"`;
  if ('listOf' in kind) {
    const names = v.split(',');
    const unknown = names.find((x) => !kind.listOf.includes(x));
    if (unknown !== undefined) return `unknown ${kind.what} "${unknown}" (known: ${kind.listOf.join(', ')})`;
    return new Set(names).size === names.length ? undefined : `${a} names one twice: ${v}`;
  }
  const n = Number(v);
  if (v.trim() !== '' && Number.isFinite(n) && n >= kind.min && (kind.max === undefined || n <= kind.max) && (!kind.whole || Number.isInteger(n))) return undefined;
  return `${a} takes ${kind.whole ? 'a whole number' : 'a number'} ${kind.max === undefined ? `>= ${kind.min}` : `in ${kind.min}..${kind.max}`}, not "${v}"`;
}
