/**
 * A LIST flag (cli.md) takes comma-separated values and may be repeated:
 * `--include-namespaces a,b --include-namespaces c` is `a, b, c`.
 * Blank values (a trailing comma) are dropped; whitespace around values is not part of them.
 */
export function splitList(values: readonly string[] | string | undefined): string[] {
  if (values === undefined) return [];
  const all = typeof values === 'string' ? [values] : values;
  return all.flatMap((value) => value.split(',')).map((v) => v.trim()).filter((v) => v.length > 0);
}
