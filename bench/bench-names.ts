import { randomInt } from 'node:crypto';
import { apiGroup } from '../src/install/api-group.js';

/**
 * The names and labels of what a benchmark run creates. In a cluster shared with other work
 * (`--cluster`) they are all the run touches: every namespace and backup it makes is named
 * `kubectl-backup-bench-RUN-...`, and every namespace and object carries the label
 * `kubectl-backup.io/bench=RUN`, which the contenders select by. RUN is random, so that a
 * run never takes the objects of another run (or of one that died before its clean-up) for
 * its own; `kubectl get ns -l kubectl-backup.io/bench` finds what any run left.
 */
export const benchPrefix = 'kubectl-backup-bench-';
export const benchLabel = `${apiGroup}/bench`;

const runIdPattern = /^[a-z0-9]{6}$/;

export class BenchNames {
  /** What every name of this run starts with. */
  readonly prefix: string;
  /** The label of every object of this run. */
  readonly labels: Readonly<Record<string, string>>;
  /** The label selector of this run's objects. */
  readonly selector: string;

  constructor(readonly runId: string) {
    if (!runIdPattern.test(runId)) throw new Error(`invalid benchmark run id "${runId}": expected 6 lowercase letters or digits`);
    this.prefix = `${benchPrefix}${runId}-`;
    this.labels = { [benchLabel]: runId };
    this.selector = `${benchLabel}=${runId}`;
  }

  /** A fresh run, with one of 36⁶ ids. */
  static random(): BenchNames {
    return new BenchNames(randomInt(36 ** 6).toString(36).padStart(6, '0'));
  }

  /** A name of this run: a namespace, a backup or a restore (`suffix` is lowercase, digits and dashes). */
  name(suffix: string): string {
    const name = this.prefix + suffix;
    // DNS-1123 labels (namespaces) are the strictest rule every name here has to meet.
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 63) throw new Error(`"${name}" is not a DNS-1123 label`);
    return name;
  }

  /** True for names this run made, and only those: what its clean-up may delete. */
  owns(name: string): boolean {
    return name.startsWith(this.prefix) && name.length > this.prefix.length;
  }

  /** A Namespace object of this run, labelled. */
  namespace(suffix: string): { apiVersion: 'v1'; kind: 'Namespace'; metadata: { name: string; labels: Record<string, string> } } {
    return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: this.name(suffix), labels: { ...this.labels } } };
  }
}
