/**
 * JSON.parse that keeps integers beyond 2^53 exactly. Kubernetes objects are JSON written by
 * Go, whose int64 fields (of custom resources especially) can hold integers that a JavaScript
 * number rounds: 9007199254740993 would be written back as 9007199254740992, silently. Such an
 * integer is kept as its text (JSON.rawJSON), which JSON.stringify writes back digit for digit.
 *
 * The reviver that does it makes parsing several times slower, so it runs only on texts that
 * have a number of 16 digits or more where JSON puts values; the rest is plain JSON.parse.
 */
export function parseJson(text: string): unknown {
  if (!longNumber.test(text)) return JSON.parse(text);
  try {
    return JSON.parse(text, keepExactIntegers);
  } catch (err) {
    // V8 calls a reviver recursively: an object nested a few thousand levels deep (Kubernetes
    // allows 10,000) overflows the stack, where JSON.parse alone does not.
    if (!(err instanceof RangeError)) throw err;
    return parseDeepExactly(text);
  }
}

/**
 * What parseJson gives, for texts too deep for a reviver: each integer beyond 2^53 is first
 * written as a marked string, the text is parsed plainly, and the marked strings are turned into
 * exact integers by a walk that keeps its own stack.
 */
function parseDeepExactly(text: string): unknown {
  // A text that holds the mark itself (a NUL is escaped in JSON) could not be told apart.
  if (text.includes(markJson)) throw new RangeError('a JSON text too deeply nested to keep its long integers exactly');
  let marked = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === quote) {
      // Skips the string: a backslash escapes the character after it.
      for (i++; i < text.length && text.charCodeAt(i) !== quote; i++) if (text.charCodeAt(i) === backslash) i++;
    } else if (c === minus || (c >= zero && c <= nine)) {
      let end = i + 1;
      while (end < text.length && /[-+.eE0-9]/.test(text[end]!)) end++;
      const token = text.slice(i, end);
      if (integer.test(token) && !Number.isSafeInteger(Number(token))) {
        marked += `${text.slice(from, i)}"${markJson}${token}"`;
        from = end;
      }
      i = end - 1;
    }
  }
  const root: unknown = JSON.parse(marked + text.slice(from));
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === null || typeof node !== 'object') continue;
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const value = record[key];
      if (typeof value === 'string' && value.startsWith(mark)) record[key] = json.rawJSON(value.slice(mark.length));
      else if (value !== null && typeof value === 'object') pending.push(value);
    }
  }
  if (typeof root === 'string' && root.startsWith(mark)) return json.rawJSON(root.slice(mark.length));
  return root;
}

/** The mark of a long integer written as a string, and how it reads in JSON text. */
const mark = '\u0000exact-integer:';
const markJson = '\\u0000exact-integer:';
const quote = 0x22;
const backslash = 0x5c;
const minus = 0x2d;
const zero = 0x30;
const nine = 0x39;

/** A copy through JSON: what structuredClone does for parsed JSON, but exact integers included (it refuses them). */
export function cloneJson<T>(value: T): T {
  return parseJson(JSON.stringify(value)) as T;
}

/** Whether a value is an integer kept as its text by parseJson. */
export function isExactInteger(value: unknown): boolean {
  return json.isRawJSON(value);
}

/** JSON.rawJSON and JSON.isRawJSON (ES2025), which TypeScript's ES2023 library does not declare. */
const json = JSON as JSON & { rawJSON(text: string): unknown; isRawJSON(value: unknown): boolean };

/** A number of at least 16 digits after `:`, `[` or `,` (a value): 2^53 has 16 digits. */
const longNumber = /[:[,]\s*-?\d{16}/;

const integer = /^-?\d+$/;

/** JSON.parse's reviver with the text each value was read from (ES2025). */
function keepExactIntegers(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value === 'number' && !Number.isSafeInteger(value) && context?.source !== undefined && integer.test(context.source)) {
    return json.rawJSON(context.source);
  }
  return value;
}
