/**
 * Finding the bounds of JSON values in bytes, without building them: where a value ends, where
 * a string ends, white space. The text is read as JSON's grammar says, but not checked: callers
 * either know it is valid (it parsed) or check what they cut out with JSON.parse.
 */

export const byte = {
  quote: 0x22,
  backslash: 0x5c,
  comma: 0x2c,
  colon: 0x3a,
  openBrace: 0x7b,
  closeBrace: 0x7d,
  openBracket: 0x5b,
  closeBracket: 0x5d,
} as const;

/** The text does not have the shape the scan expects (or ends early). */
export class JsonScanError extends Error {}

function isSpace(value: number | undefined): boolean {
  return value === 0x20 || value === 0x0a || value === 0x0d || value === 0x09;
}

export function skipSpace(text: Buffer, at: number): number {
  while (isSpace(text[at])) at++;
  return at;
}

export function expectByte(text: Buffer, at: number, value: number): void {
  if (text[at] !== value) throw new JsonScanError(`expected ${String.fromCharCode(value)} at ${at}`);
}

/** The index after the string whose opening quote is at `at`. */
export function stringEnd(text: Buffer, at: number): number {
  let end = text.indexOf(byte.quote, at + 1);
  while (end > 0 && text[end - 1] === byte.backslash) {
    // The quote is escaped when an odd number of backslashes precede it.
    let backslashes = 1;
    while (text[end - 1 - backslashes] === byte.backslash) backslashes++;
    if (backslashes % 2 === 0) break;
    end = text.indexOf(byte.quote, end + 1);
  }
  if (end < 0) throw new JsonScanError(`unterminated string at ${at}`);
  return end + 1;
}

/** The index after the JSON value that starts at `at`. */
export function valueEnd(text: Buffer, at: number): number {
  const first = text[at];
  if (first === byte.quote) return stringEnd(text, at);
  if (first !== byte.openBrace && first !== byte.openBracket) {
    // A number, true, false or null: up to the next delimiter.
    let end = at;
    while (end < text.length && !isDelimiter(text[end]!)) end++;
    if (end === at) throw new JsonScanError(`no value at ${at}`);
    return end;
  }
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const value = text[i];
    if (value === byte.quote) {
      i = stringEnd(text, i) - 1;
    } else if (value === byte.openBrace || value === byte.openBracket) {
      depth++;
    } else if (value === byte.closeBrace || value === byte.closeBracket) {
      if (--depth === 0) return i + 1;
    }
  }
  throw new JsonScanError(`value at ${at} does not end`);
}

function isDelimiter(value: number): boolean {
  return value === byte.comma || value === byte.closeBrace || value === byte.closeBracket || isSpace(value);
}
