import { byte, JsonScanError, stringEnd } from '../kube/json-scan.js';

/**
 * Whether JSON text nests arrays and objects more than `limit` levels deep, found by counting
 * brackets outside strings: JSON.parse takes any depth, but what later walks the object
 * recursively (JSON.stringify among them) overflows the stack, far from the archive that caused
 * it. Text that is not JSON is left to JSON.parse to refuse.
 */
export function nestingExceeds(text: Buffer, limit: number): boolean {
  // Each level takes an opening and a closing byte: shorter text cannot be deeper, and most
  // items are, so that they cost nothing here.
  if (text.length <= 2 * limit) return false;
  // Nor can text with fewer opening brackets: counted natively (memchr), this spares the scan,
  // which costs more than parsing, to almost every large item.
  if (openingBrackets(text, limit) <= limit) return false;
  let depth = 0;
  try {
    for (let i = 0; i < text.length; i++) {
      const value = text[i];
      if (value === byte.quote) {
        i = stringEnd(text, i) - 1;
      } else if (value === byte.openBrace || value === byte.openBracket) {
        if (++depth > limit) return true;
      } else if (value === byte.closeBrace || value === byte.closeBracket) {
        depth--;
      }
    }
  } catch (err) {
    if (err instanceof JsonScanError) return false;
    throw err;
  }
  return false;
}

/** How many `{` and `[` the text holds, counting no further than just past `limit`. */
function openingBrackets(text: Buffer, limit: number): number {
  let count = 0;
  for (const bracket of [byte.openBrace, byte.openBracket]) {
    for (let at = text.indexOf(bracket); at >= 0 && count <= limit; at = text.indexOf(bracket, at + 1)) count++;
  }
  return count;
}
