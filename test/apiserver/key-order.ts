/** Some unit from U+D800 up: only keys that both hold one can order differently in UTF-16 and UTF-8. */
const highUnit = /[\ud800-\uffff]/;

/**
 * Keys (`namespace/name`) in etcd's order: UTF-8 bytes, that is code points. JavaScript's `<`
 * compares UTF-16 code units, which differs for a character above U+FFFF (a surrogate pair)
 * against one of U+E000–U+FFFF; path-segment names (Roles…) may hold both.
 */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const unitOrder = a < b ? -1 : 1;
  if (!highUnit.test(a) || !highUnit.test(b)) return unitOrder;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800 && (x < 0xe000) !== (y < 0xe000)) return x < 0xe000 ? 1 : -1;
    return unitOrder;
  }
  return unitOrder;
}
