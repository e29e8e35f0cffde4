import picomatch from 'picomatch';
import { BadInputError } from '../errors.js';

/** Namespaces per cluster that Kubernetes is tested with: past as many, answers are worked out each time. */
const maxKeptAnswers = 10_000;

/**
 * Namespace include/exclude globs over the namespaces that exist (backup.md). Only `*`, `?` and
 * `[abc]`/`[!abc]`/`[a-c]` are glob syntax; braces, extglobs and a leading `!` (picomatch's
 * negation) are refused so a pattern never means more than it looks like.
 */
export class NamespaceFilter {
  private readonly include: (name: string) => boolean;
  private readonly exclude: (name: string) => boolean;
  /**
   * Answers by namespace: a restore asks for every item of an archive, and they are of a few
   * namespaces. Bounded: an archive from storage is untrusted and may name a namespace per item.
   */
  private readonly answers = new Map<string, boolean>();

  constructor(
    readonly includes: readonly string[],
    readonly excludes: readonly string[],
  ) {
    this.include = compile(includes.length > 0 ? includes : ['*']);
    this.exclude = excludes.length > 0 ? compile(excludes) : () => false;
  }

  /** True when every namespace is in: includes are `*` and nothing is excluded (Velero's rule). */
  get includesEverything(): boolean {
    return (this.includes.length === 0 || this.includes.includes('*')) && this.excludes.length === 0;
  }

  /** Exclude wins over include. */
  matches(namespace: string): boolean {
    let answer = this.answers.get(namespace);
    if (answer === undefined) {
      answer = this.include(namespace) && !this.exclude(namespace);
      if (this.answers.size < maxKeptAnswers) this.answers.set(namespace, answer);
    }
    return answer;
  }
}

/** Whether a namespace pattern is a glob rather than one name (validateNamespacePattern's syntax). */
export function isGlob(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

const options = { nobrace: true, noextglob: true, nonegate: true, dot: true } as const;

function compile(patterns: readonly string[]): (name: string) => boolean {
  // picomatch reads `[!a]` as something else than shells do; `[^a]` is its negated class.
  return picomatch(patterns.map((p) => p.replaceAll('[!', '[^')), options);
}

/** Validates one `--include-namespaces`/`--exclude-namespaces` value; returns it unchanged. */
export function validateNamespacePattern(flag: string, pattern: string): string {
  const fail = (why: string) => new BadInputError(`--${flag}: invalid namespace pattern "${pattern}": ${why}`);
  if (!/^[a-z0-9*?[\]!-]+$/.test(pattern)) {
    throw fail("a namespace name or a glob with *, ? and [abc] (lower case letters, digits and '-')");
  }
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '[') {
      if (inClass) throw fail('"[" inside [...]');
      inClass = true;
      if (pattern[i + 1] === ']' || (pattern[i + 1] === '!' && pattern[i + 2] === ']')) throw fail('empty [...]');
    } else if (c === ']') {
      if (!inClass) throw fail('"]" without "["');
      inClass = false;
    } else if (c === '!' && !(inClass && pattern[i - 1] === '[')) {
      throw fail('"!" is only allowed right after "[" ([!abc])');
    }
  }
  if (inClass) throw fail('"[" without "]"');
  if (pattern.replace(/\[[^\]]*\]/g, 'x').length > 63 && !/[*?]/.test(pattern)) throw fail('longer than a namespace name can be (63)');
  return pattern;
}
