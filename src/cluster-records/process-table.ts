import { readFileSync, readlinkSync } from 'node:fs';
import { hostname, uptime } from 'node:os';

/** What a look-up of a pid found: a process that is gone (or a zombie), or one that runs. */
export type ProcessState = { readonly state: 'gone' } | { readonly state: 'running'; readonly start?: string };

/**
 * The processes this one can see: what a run of `create` records about itself in its `Backup`
 * object, and how a later run on the same machine tells whether that process still runs.
 */
export interface ProcessTable {
  /** The machine's name, for people. */
  readonly host: string;
  /**
   * Identifies the set of pids this process sees: the machine since its boot and, on Linux,
   * the pid namespace (containers on one machine share its host name, not their pids).
   * Undefined where it cannot be told: then no pid recorded elsewhere is looked up.
   */
  readonly space: string | undefined;
  readonly pid: number;
  /** When this process started, in the machine's own terms; undefined where unknown. */
  readonly start: string | undefined;
  probe(pid: number): ProcessState;
}

let local: ProcessTable | undefined;

/** The processes of this machine, as this process sees them (read on first use). */
export function localProcessTable(): ProcessTable {
  return (local ??= {
    host: hostname(),
    space: pidSpace(),
    pid: process.pid,
    start: linuxStat(process.pid)?.start,
    probe,
  });
}

function probe(pid: number): ProcessState {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it runs, as another user.
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return { state: 'gone' };
  }
  const stat = linuxStat(pid);
  // A zombie is dead, only not yet reaped by its parent.
  if (stat?.state === 'Z' || stat?.state === 'X') return { state: 'gone' };
  return { state: 'running', ...(stat ? { start: stat.start } : {}) };
}

/**
 * Linux: the boot (random per boot) and the pid namespace, exactly. Elsewhere the host name
 * and the boot time to the minute, from the uptime (it is whole seconds on some systems, so
 * two readings of one boot can differ by a second: near a minute's edge they differ, and the
 * later run falls back to the staleness rule).
 */
function pidSpace(): string | undefined {
  if (process.platform === 'linux') {
    try {
      const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
      return `${boot}/${readlinkSync('/proc/self/ns/pid')}`;
    } catch {
      return undefined;
    }
  }
  const bootMinute = Math.round((Date.now() / 1000 - uptime()) / 60);
  return `${hostname()}/boot-${bootMinute}`;
}

/**
 * State and start time (clock ticks after boot) from /proc/PID/stat: with the pid, the start
 * tells a process from a later one that reuses its pid. Undefined off Linux, or unreadable
 * (another user's process under hidepid).
 */
function linuxStat(pid: number): { state: string; start: string } | undefined {
  if (process.platform !== 'linux') return undefined;
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name, in parentheses, may hold spaces and parentheses: fields follow the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const start = fields[19];
  return state !== undefined && start !== undefined ? { state, start } : undefined;
}
