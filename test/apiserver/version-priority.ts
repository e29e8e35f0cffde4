const KUBE_VERSION = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/**
 * Kubernetes' version ordering (apimachinery CompareKubeAwareVersionStrings): GA before
 * beta before alpha, higher numbers first, then versions of other shapes alphabetically.
 * Negative when `a` has the higher priority.
 */
export function compareVersionPriority(a: string, b: string): number {
  const ma = KUBE_VERSION.exec(a);
  const mb = KUBE_VERSION.exec(b);
  if (!ma && !mb) return a < b ? -1 : a > b ? 1 : 0;
  if (!ma) return 1;
  if (!mb) return -1;
  const rank = (m: RegExpExecArray): number => (m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0);
  const ra = rank(ma);
  const rb = rank(mb);
  if (ra !== rb) return rb - ra;
  const majorA = Number(ma[1]);
  const majorB = Number(mb[1]);
  if (majorA !== majorB) return majorB - majorA;
  return Number(mb[3] ?? 0) - Number(ma[3] ?? 0);
}
