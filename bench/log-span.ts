/**
 * Seconds between two lines of a JSON log (`--log-format json`), undefined when either is
 * missing: the benchmarks time a part of a run (its listing, its creates) by what its log says.
 */
export function logSpan(log: string, from: string, to: string): number | undefined {
  const times = new Map<string, number>();
  for (const line of log.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { time: string; msg: string };
    if (entry.msg === from || entry.msg === to) times.set(entry.msg, Date.parse(entry.time));
  }
  const start = times.get(from);
  const end = times.get(to);
  return start === undefined || end === undefined ? undefined : (end - start) / 1000;
}
