import { keyProblem } from './object-key.js';
import type { StoredObject } from './object-store.js';
import { InvalidRecordError } from './storage-errors.js';

/**
 * Checks the fields of a record read from storage, which is untrusted input: every problem is
 * an InvalidRecordError naming the record's key and the field's path (status.artifacts[2].size).
 */
export class RecordFields {
  constructor(readonly key: string) {}

  fail(field: string | undefined, problem: string): never {
    throw new InvalidRecordError(this.key, field, problem);
  }

  object(value: unknown, field: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(field, 'must be an object');
    return value as Record<string, unknown>;
  }

  string(value: unknown, field: string): string {
    if (typeof value !== 'string') this.fail(field, 'must be a string');
    return value;
  }

  nonEmptyString(value: unknown, field: string): string {
    const text = this.string(value, field);
    if (text === '') this.fail(field, 'must not be empty');
    return text;
  }

  nullableString(value: unknown, field: string): string | null {
    return value === null || value === undefined ? null : this.string(value, field);
  }

  boolean(value: unknown, field: string, fallback?: boolean): boolean {
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'boolean') this.fail(field, 'must be true or false');
    return value;
  }

  nullableBoolean(value: unknown, field: string): boolean | null {
    return value === null || value === undefined ? null : this.boolean(value, field);
  }

  count(value: unknown, field: string): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) this.fail(field, 'must be a non-negative integer');
    return value;
  }

  /** An absent list is an empty one: filters that were not given. */
  stringList(value: unknown, field: string): string[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) this.fail(field, 'must be a list of strings');
    return value.map((item, index) => this.string(item, `${field}[${index}]`));
  }

  stringMap(value: unknown, field: string): Record<string, string> {
    if (value === undefined || value === null) return {};
    const map = this.object(value, field);
    return Object.fromEntries(Object.entries(map).map(([name, item]) => [name, this.string(item, `${field}[${JSON.stringify(name)}]`)]));
  }

  countMap(value: unknown, field: string): Record<string, number> {
    if (value === undefined || value === null) return {};
    const map = this.object(value, field);
    return Object.fromEntries(Object.entries(map).map(([name, item]) => [name, this.count(item, `${field}[${JSON.stringify(name)}]`)]));
  }

  oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) this.fail(field, `must be one of ${allowed.join(', ')}`);
    return value as T;
  }

  /** An RFC 3339 time in UTC, as Kubernetes writes them; kept as the string it is. */
  timestamp(value: unknown, field: string): string {
    const text = this.string(value, field);
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/.test(text) || Number.isNaN(Date.parse(text))) {
      this.fail(field, 'must be an RFC 3339 UTC time such as 2024-05-01T12:00:00Z');
    }
    return text;
  }

  nullableTimestamp(value: unknown, field: string): string | null {
    return value === null || value === undefined ? null : this.timestamp(value, field);
  }

  /** Artifacts must lie in the record's own directory: a record cannot point elsewhere. */
  artifacts(value: unknown, field: string, dir: string, recordKey: string): StoredObject[] {
    if (!Array.isArray(value)) this.fail(field, 'must be a list');
    const seen = new Set<string>();
    return value.map((item, index) => {
      const path = `${field}[${index}]`;
      const artifact = this.object(item, path);
      const key = this.string(artifact.key, `${path}.key`);
      const problem = keyProblem(key);
      if (problem) this.fail(`${path}.key`, `is not a valid key: ${problem}`);
      if (!key.startsWith(dir) || key === recordKey) this.fail(`${path}.key`, `must name an object under ${dir} other than the record`);
      if (seen.has(key)) this.fail(`${path}.key`, `lists ${key} twice`);
      seen.add(key);
      const size = this.count(artifact.size, `${path}.size`);
      const sha256 = this.string(artifact.sha256, `${path}.sha256`);
      if (!/^[0-9a-f]{64}$/.test(sha256)) this.fail(`${path}.sha256`, 'must be 64 lowercase hex characters');
      return { key, size, sha256 };
    });
  }
}
