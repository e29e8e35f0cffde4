import { fieldInvalid, type FieldError } from './api-error.js';

/** How a kind's names are checked; each matches one of the apimachinery validators. */
export type NameRule = 'dns1123-subdomain' | 'dns1123-label' | 'dns1035-label' | 'path-segment';

const LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const LABEL_RE = new RegExp(`^${LABEL_FMT}$`);
const SUBDOMAIN_FMT = `${LABEL_FMT}(\\.${LABEL_FMT})*`;
const SUBDOMAIN_RE = new RegExp(`^${SUBDOMAIN_FMT}$`);
const DNS1035_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1035_RE = new RegExp(`^${DNS1035_FMT}$`);
const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME_RE = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE_FMT}$`);

const MSG_LABEL = `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${LABEL_FMT}')`;
const MSG_SUBDOMAIN = `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${SUBDOMAIN_FMT}')`;
const MSG_1035 = `a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '${DNS1035_FMT}')`;
const MSG_QUALIFIED = `name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '${QUALIFIED_NAME_FMT}')`;
const MSG_LABEL_VALUE = `a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '${LABEL_VALUE_FMT}')`;

/** Problems with a name under a rule, as messages (empty when valid). */
export function nameProblems(name: string, rule: NameRule): string[] {
  switch (rule) {
    case 'dns1123-label': {
      const out: string[] = [];
      if (name.length > 63) out.push('must be no more than 63 characters');
      if (!LABEL_RE.test(name)) out.push(MSG_LABEL);
      return out;
    }
    case 'dns1123-subdomain': {
      const out: string[] = [];
      if (name.length > 253) out.push('must be no more than 253 characters');
      if (!SUBDOMAIN_RE.test(name)) out.push(MSG_SUBDOMAIN);
      return out;
    }
    case 'dns1035-label': {
      const out: string[] = [];
      if (name.length > 63) out.push('must be no more than 63 characters');
      if (!DNS1035_RE.test(name)) out.push(MSG_1035);
      return out;
    }
    case 'path-segment': {
      if (name === '.' || name === '..') return [`may not be '${name}'`];
      const out: string[] = [];
      for (const bad of ['/', '%']) if (name.includes(bad)) out.push(`may not contain '${bad}'`);
      return out;
    }
  }
}

export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && LABEL_RE.test(value);
}

export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && SUBDOMAIN_RE.test(value);
}

/** generateName is checked as a prefix: a trailing dash is allowed. */
export function generateNameProblems(prefix: string, rule: NameRule): string[] {
  const masked = prefix.endsWith('-') ? `${prefix.slice(0, -1)}a` : prefix;
  return nameProblems(masked, rule);
}

export function qualifiedNameProblems(key: string): string[] {
  const out: string[] = [];
  const parts = key.split('/');
  let name = key;
  if (parts.length === 2) {
    const [prefix, rest] = parts as [string, string];
    name = rest;
    if (prefix.length === 0) out.push('prefix part must be non-empty');
    else if (!isDns1123Subdomain(prefix)) out.push(`prefix part ${MSG_SUBDOMAIN}`);
  } else if (parts.length > 2) {
    return [`a qualified name ${MSG_QUALIFIED.replace('name part ', '')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (name.length === 0) out.push('name part must be non-empty');
  else if (name.length > 63) out.push('name part must be no more than 63 characters');
  else if (!QUALIFIED_NAME_RE.test(name)) out.push(MSG_QUALIFIED);
  return out;
}

export function labelValueProblems(value: string): string[] {
  const out: string[] = [];
  if (value.length > 63) out.push('must be no more than 63 characters');
  if (!LABEL_VALUE_RE.test(value)) out.push(MSG_LABEL_VALUE);
  return out;
}

export function validateLabels(labels: unknown, field: string): FieldError[] {
  if (labels === undefined || labels === null) return [];
  if (typeof labels !== 'object' || Array.isArray(labels)) return [fieldInvalid(field, labels, 'must be a map of strings')];
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(labels as Record<string, unknown>)) {
    for (const p of qualifiedNameProblems(key)) errors.push(fieldInvalid(field, key, p));
    if (typeof value !== 'string') {
      errors.push(fieldInvalid(`${field}`, value, 'must be a string'));
      continue;
    }
    for (const p of labelValueProblems(value)) errors.push(fieldInvalid(field, value, p));
  }
  return errors;
}

const ANNOTATIONS_LIMIT = 256 * 1024;

export function validateAnnotations(annotations: unknown, field: string): FieldError[] {
  if (annotations === undefined || annotations === null) return [];
  if (typeof annotations !== 'object' || Array.isArray(annotations)) return [fieldInvalid(field, annotations, 'must be a map of strings')];
  const errors: FieldError[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(annotations as Record<string, unknown>)) {
    for (const p of qualifiedNameProblems(key.toLowerCase())) errors.push(fieldInvalid(field, key, p));
    size += key.length + (typeof value === 'string' ? value.length : 0);
  }
  if (size > ANNOTATIONS_LIMIT) {
    errors.push({ type: 'FieldValueTooLong', field, detail: `Too long: must have at most ${ANNOTATIONS_LIMIT} bytes` });
  }
  return errors;
}
