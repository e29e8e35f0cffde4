/** Names in code-unit order, as API servers sort the names of a LIST (not a locale's collation). */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
