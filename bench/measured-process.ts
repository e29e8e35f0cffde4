import { spawn, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';

export interface Measurement {
  seconds: number;
  /** Peak resident set (VmHWM) in MB, read from /proc while the process runs. */
  peakRssMb: number;
  /**
   * CPU time (user + system, all threads, and children it waited for) in seconds, as last read
   * from /proc before the process ended: up to one poll (10 ms) short. Steadier than wall time
   * on a machine shared with the server, so it shows what a change costs.
   */
  cpuSeconds: number;
  code: number;
  stdout: string;
  stderr: string;
}

export interface MeasureOptions {
  /** Where the command's stdout goes instead of into `stdout`. */
  stdoutFile?: string;
  /** Written to the command's stdin (credentials go this way: never in arguments). */
  input?: string;
}

/**
 * Runs a command to its end and measures its wall time and peak RSS. VmHWM only grows, so
 * polling it (every 10 ms) and keeping the last value read before exit gives the peak.
 */
export function measure(command: string, args: string[], options: SpawnOptions & MeasureOptions = {}): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const out = options.stdoutFile ? fs.openSync(options.stdoutFile, 'w') : 'pipe';
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { ...options, stdio: [options.input === undefined ? 'ignore' : 'pipe', out, 'pipe'] });
    // A child that exits without reading its input must not fail the run with EPIPE.
    child.stdin?.on('error', () => {});
    child.stdin?.end(options.input);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    let peakKb = 0;
    let cpuTicks = 0;
    const poll = setInterval(() => {
      try {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
        if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
        cpuTicks = Math.max(cpuTicks, cpuTicksOf(fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8')));
      } catch {
        // The process is gone; the last reading stands.
      }
    }, 10);
    child.on('error', (err) => {
      clearInterval(poll);
      reject(err);
    });
    child.on('close', (code) => {
      clearInterval(poll);
      if (typeof out === 'number') fs.closeSync(out);
      resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, peakRssMb: peakKb / 1024, cpuSeconds: cpuTicks / clockTicksPerSecond, code: code ?? 1, stdout, stderr });
    });
  });
}

/** Linux reports CPU times in USER_HZ, 100 a second on every architecture it runs on. */
const clockTicksPerSecond = 100;

/** utime + stime + cutime + cstime of a /proc/PID/stat line (fields 14-17; the name, field 2, may hold spaces). */
function cpuTicksOf(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields.slice(11, 15).reduce((sum, value) => sum + Number(value), 0);
}
