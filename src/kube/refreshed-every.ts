/**
 * `load`, its result reused for `ttlMs` after each load. A failure is not kept: the next call
 * loads again. `now` is the clock (milliseconds), for tests.
 */
export function refreshedEvery<T>(ttlMs: number, load: () => Promise<T>, now: () => number = Date.now): () => Promise<T> {
  let cached: { value: Promise<T>; until: number } | undefined;
  return () => {
    const at = now();
    if (cached && at < cached.until) return cached.value;
    const value = load();
    cached = { value, until: at + ttlMs };
    value.catch(() => {
      if (cached?.value === value) cached = undefined;
    });
    return value;
  };
}
