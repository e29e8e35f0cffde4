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
  return longNumber.test(text) ? JSON.parse(text, keepExactIntegers) : JSON.parse(text);
}

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
