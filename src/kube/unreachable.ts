/**
 * Whether an error says the API server cannot be reached at all (no connection, an untrusted
 * certificate, credentials that cannot be had), as the client marks them after its retries.
 * Every later request would fail the same way, each after its own retries: work stops at the
 * first such error rather than failing item after item.
 */
export function isUnreachable(err: unknown): boolean {
  return (err as { unreachable?: unknown } | null)?.unreachable === true;
}

/** Marks an error as isUnreachable() tells. */
export function unreachable<E extends Error>(err: E): E & { unreachable: true } {
  return Object.assign(err, { unreachable: true as const });
}
