/** Names in code-unit order, as API servers sort the names of a LIST (not a locale's collation). */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Namespaces in the order a LIST across namespaces gives their items: etcd keys are
 * `namespace/name` compared as bytes, so `a-b` (`-` < `/`) comes before `a`. Archives follow it
 * whether the items come from one LIST across namespaces, a LIST per namespace or an
 * unpaginated LIST, so that their order does not depend on how they were listed.
 */
export function compareNamespaces(a: string, b: string): number {
  return a === b ? 0 : compareNames(`${a}/`, `${b}/`);
}
