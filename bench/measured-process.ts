import { spawn, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';

export interface Measurement {
  seconds: number;
  /** Peak resident set (VmHWM) in MB, read from /proc while the process runs. */
  peakRssMb: number;
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
    const poll = setInterval(() => {
      try {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
        if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
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
      resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, peakRssMb: peakKb / 1024, code: code ?? 1, stdout, stderr });
    });
  });
}
