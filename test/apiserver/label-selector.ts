import { badRequest } from './api-error.js';

type Operator = 'exists' | '!' | '=' | '!=' | 'in' | 'notin' | 'gt' | 'lt';

interface Requirement {
  key: string;
  op: Operator;
  values: string[];
}

export type LabelMatcher = (labels: Readonly<Record<string, string>>) => boolean;

/**
 * Parses the label selector syntax of labels.Parse: `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
 * `a notin (x)`, `a`, `!a`, `a>1`, `a<1`, comma-separated (all must hold).
 */
export function parseLabelSelector(source: string): LabelMatcher | undefined {
  if (source.trim() === '') return undefined;
  const requirements = new Parser(source).parse();
  return (labels) => requirements.every((r) => matches(r, labels));
}

function matches(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.op) {
    case 'exists': return has;
    case '!': return !has;
    case '=': return has && value === r.values[0];
    case 'in': return has && r.values.includes(value as string);
    case '!=': return !has || value !== r.values[0];
    case 'notin': return !has || !r.values.includes(value as string);
    case 'gt':
    case 'lt': {
      if (!has) return false;
      const n = Number(value);
      const bound = Number(r.values[0]);
      if (!Number.isFinite(n)) return false;
      return r.op === 'gt' ? n > bound : n < bound;
    }
  }
}

const KEY_CHARS = /[A-Za-z0-9_./-]/;

/** apimachinery's qualified name part and label value: alphanumeric at both ends, `-_.` inside. */
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const labelValueRule = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** Why a label key is not a qualified name (IsQualifiedName), or undefined. */
function labelKeyProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/'";
  const name = parts[parts.length - 1] ?? '';
  const prefix = parts.length === 2 ? parts[0]! : undefined;
  if (prefix !== undefined && (prefix === '' || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return 'prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character';
  if (name === '' || name.length > 63 || !LABEL_NAME.test(name)) return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, of at most 63";
  return undefined;
}

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parse(): Requirement[] {
    const out: Requirement[] = [];
    for (;;) {
      out.push(this.requirement());
      this.skipSpace();
      if (this.pos >= this.src.length) return out;
      if (this.src[this.pos] !== ',') this.fail(`found '${this.src[this.pos]}', expected: ',' or 'end of string'`);
      this.pos++;
    }
  }

  private requirement(): Requirement {
    this.skipSpace();
    if (this.src[this.pos] === '!') {
      this.pos++;
      return { key: this.key(), op: '!', values: [] };
    }
    const key = this.key();
    this.skipSpace();
    const rest = this.src.slice(this.pos);
    if (rest === '' || rest.startsWith(',')) return { key, op: 'exists', values: [] };
    if (rest.startsWith('==')) { this.pos += 2; return { key, op: '=', values: [this.value()] }; }
    if (rest.startsWith('!=')) { this.pos += 2; return { key, op: '!=', values: [this.value()] }; }
    if (rest.startsWith('=')) { this.pos += 1; return { key, op: '=', values: [this.value()] }; }
    if (rest.startsWith('>')) { this.pos += 1; return { key, op: 'gt', values: [this.number()] }; }
    if (rest.startsWith('<')) { this.pos += 1; return { key, op: 'lt', values: [this.number()] }; }
    const word = /^(notin|in)\s*\(/.exec(rest);
    if (word) {
      this.pos += word[0].length;
      return { key, op: word[1] === 'in' ? 'in' : 'notin', values: this.valueSet() };
    }
    return this.fail(`found '${rest[0]}', expected: in, notin, =, ==, !=, gt, lt`);
  }

  private key(): string {
    this.skipSpace();
    const start = this.pos;
    while (this.pos < this.src.length && KEY_CHARS.test(this.src[this.pos] as string)) this.pos++;
    const key = this.src.slice(start, this.pos);
    if (key === '') this.fail(`found '${this.src[this.pos] ?? ''}', expected: identifier`);
    const problem = labelKeyProblem(key);
    if (problem) this.fail(`key: Invalid value: "${key}": ${problem}`);
    return key;
  }

  private value(labelValue = true): string {
    this.skipSpace();
    const start = this.pos;
    while (this.pos < this.src.length && /[A-Za-z0-9_.-]/.test(this.src[this.pos] as string)) this.pos++;
    const value = this.src.slice(start, this.pos);
    if (value.length > 63) this.fail(`invalid label value: "${value}": must be no more than 63 characters`);
    if (labelValue && value !== '' && !LABEL_NAME.test(value)) this.fail(`invalid label value: "${value}": ${labelValueRule}`);
    return value;
  }

  private number(): string {
    // Gt and Lt take an integer, not a label value: -5 is one.
    const v = this.value(false);
    if (!/^-?\d+$/.test(v)) this.fail(`for 'Gt', 'Lt' operators, the value must be an integer`);
    return v;
  }

  private valueSet(): string[] {
    const values: string[] = [];
    for (;;) {
      values.push(this.value());
      this.skipSpace();
      const c = this.src[this.pos];
      this.pos++;
      if (c === ')') return values;
      if (c !== ',') this.fail(`found '${c ?? ''}', expected: ',', ')'`);
    }
  }

  private skipSpace(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos] as string)) this.pos++;
  }

  private fail(why: string): never {
    throw badRequest(`unable to parse requirement: ${why}`);
  }
}
