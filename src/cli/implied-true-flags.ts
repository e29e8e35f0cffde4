/**
 * Flags that Velero declares with an implied value (pflag's NoOptDefVal): given bare, they mean
 * `true`. `--include-cluster-resources` alone is what a Velero user types.
 */
const impliedTrue = new Set(['--include-cluster-resources']);

/** The spellings of Go's strconv.ParseBool, which Velero's flags accept, and what each means. */
const goBools: ReadonlyMap<string, boolean> = new Map([
  ...['1', 't', 'T', 'TRUE', 'true', 'True'].map((spelling): [string, boolean] => [spelling, true]),
  ...['0', 'f', 'F', 'FALSE', 'false', 'False'].map((spelling): [string, boolean] => [spelling, false]),
]);

/**
 * argv with each bare implied-true flag given its value: `--include-cluster-resources` becomes
 * `--include-cluster-resources=true`, unless the next word is a boolean, which is then its
 * value (`--include-cluster-resources false`, as cli.md writes it). After `--` nothing is a flag.
 */
export function withImpliedTrue(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const next = argv[i + 1];
    out.push(impliedTrue.has(arg) && (next === undefined || !goBools.has(next)) ? `${arg}=true` : arg);
  }
  return out;
}

/** A Go boolean spelling as a boolean, or undefined for anything else. */
export function parseGoBool(value: string): boolean | undefined {
  return goBools.get(value);
}
