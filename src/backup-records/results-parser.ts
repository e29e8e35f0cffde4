import { BadInputError } from '../errors.js';
import { byte, expectByte, JsonScanError, skipSpace, stringEnd, valueEnd } from '../kube/json-scan.js';
import type { ResultGroup, ResultsFile } from '../storage/results-file.js';

/**
 * Messages (and namespace headings) kept of each group, warnings or errors: far more than
 * anyone reads, and few enough that describe stays small. A results artifact comes from
 * storage: 12 million short messages gzip to 175 KB, and holding them took 732 MB and
 * overflowed the stack when printed.
 */
const maxResultLines = 10_000;

/**
 * Reads a results artifact (`{"warnings": G, "errors": G}`, G = `{"cluster": [strings],
 * "namespaces": {namespace: [strings]}}`) by scanning its bytes: only the messages kept become
 * strings; the others are counted (`omitted`), so a group of millions costs no more than its
 * bytes. Other fields are ignored, as JSON.parse and a field check would.
 */
export function parseResults(bytes: Buffer, key: string, maxLines = maxResultLines): ResultsFile {
  const shape = (field: string) => new BadInputError(`artifact "${key}": ${field} must be {"cluster": [strings], "namespaces": {namespace: [strings]}}`);
  try {
    let warnings: ResultGroup = emptyGroup;
    let errors: ResultGroup = emptyGroup;
    const end = members(bytes, skipSpace(bytes, 0), () => shape('the results'), (name, at) => {
      if (name === 'warnings') ({ group: warnings, end: at } = readGroup(bytes, at, maxLines, () => shape('warnings')));
      else if (name === 'errors') ({ group: errors, end: at } = readGroup(bytes, at, maxLines, () => shape('errors')));
      else at = valueEnd(bytes, at);
      return at;
    });
    if (skipSpace(bytes, end) !== bytes.length) throw new JsonScanError(`unexpected text at ${end}`);
    return { warnings, errors };
  } catch (err) {
    if (err instanceof JsonScanError || err instanceof SyntaxError) throw new BadInputError(`artifact "${key}" is not valid JSON: ${err.message}`);
    throw err;
  }
}

const emptyGroup: ResultGroup = { cluster: [], namespaces: {} };

function readGroup(bytes: Buffer, at: number, maxLines: number, shape: () => Error): { group: ResultGroup; end: number } {
  if (isNull(bytes, at)) return { group: emptyGroup, end: at + 4 };
  let cluster: string[] = [];
  let namespaces: Record<string, string[]> = {};
  let omitted = 0;
  let lines = 0;
  const list = (start: number): { messages: string[]; end: number } => {
    const messages: string[] = [];
    if (isNull(bytes, start)) return { messages, end: start + 4 };
    const end = elements(bytes, start, shape, (from) => {
      if (bytes[from] !== byte.quote) throw shape();
      const next = stringEnd(bytes, from);
      if (lines < maxLines) {
        messages.push(JSON.parse(bytes.toString('utf8', from, next)) as string);
        lines++;
      } else omitted++;
      return next;
    });
    return { messages, end };
  };
  const end = members(bytes, at, shape, (name, from) => {
    if (name === 'cluster') ({ messages: cluster, end: from } = list(from));
    else if (name === 'namespaces' && isNull(bytes, from)) from += 4;
    else if (name === 'namespaces') {
      namespaces = {};
      from = members(bytes, from, shape, (namespace, valueAt) => {
        // A namespace takes a line of its own, before its messages: millions of empty ones are not kept either.
        const known = Object.hasOwn(namespaces, namespace);
        const kept = known || lines < maxLines;
        if (kept && !known) lines++;
        const { messages, end: next } = list(valueAt);
        // An own property even for `__proto__`, as JSON.parse makes it.
        if (kept) Object.defineProperty(namespaces, namespace, { value: messages, enumerable: true, writable: true, configurable: true });
        return next;
      });
    } else from = valueEnd(bytes, from);
    return from;
  });
  return { group: omitted > 0 ? { cluster, namespaces, omitted } : { cluster, namespaces }, end };
}

function isNull(bytes: Buffer, at: number): boolean {
  return bytes.toString('latin1', at, at + 4) === 'null';
}

/** Calls `value` with each member's name and where its value starts; the index after the object. */
function members(bytes: Buffer, at: number, shape: () => Error, value: (name: string, at: number) => number): number {
  if (bytes[at] !== byte.openBrace) throw shape();
  at = skipSpace(bytes, at + 1);
  if (bytes[at] === byte.closeBrace) return at + 1;
  for (;;) {
    expectByte(bytes, at, byte.quote);
    const nameEnd = stringEnd(bytes, at);
    const name = JSON.parse(bytes.toString('utf8', at, nameEnd)) as string;
    at = skipSpace(bytes, nameEnd);
    expectByte(bytes, at, byte.colon);
    at = skipSpace(bytes, value(name, skipSpace(bytes, at + 1)));
    if (bytes[at] === byte.closeBrace) return at + 1;
    expectByte(bytes, at, byte.comma);
    at = skipSpace(bytes, at + 1);
  }
}

/** Calls `value` with where each element starts; the index after the array. */
function elements(bytes: Buffer, at: number, shape: () => Error, value: (at: number) => number): number {
  if (bytes[at] !== byte.openBracket) throw shape();
  at = skipSpace(bytes, at + 1);
  if (bytes[at] === byte.closeBracket) return at + 1;
  for (;;) {
    at = skipSpace(bytes, value(at));
    if (bytes[at] === byte.closeBracket) return at + 1;
    expectByte(bytes, at, byte.comma);
    at = skipSpace(bytes, at + 1);
  }
}
