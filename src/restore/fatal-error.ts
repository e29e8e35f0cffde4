/** Errors after which nothing else can succeed: the restore stops instead of failing every item. */
export function isFatal(err: unknown): boolean {
  return (err as { unreachable?: boolean } | null)?.unreachable === true;
}
