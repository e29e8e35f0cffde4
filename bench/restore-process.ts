import { spawn, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';

export interface ProcessRun {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
  /** Peak resident set size (VmHWM), in bytes, as last seen in /proc while it ran. */
  peakRss: number;
}

function highWaterMark(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Runs a command, timing it from spawn to exit and sampling its peak RSS while it runs. */
export function runMeasured(command: string, args: string[], options: SpawnOptions = {}): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peakRss = 0;
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const sample = setInterval(() => {
      if (child.pid !== undefined) peakRss = Math.max(peakRss, highWaterMark(child.pid));
    }, 20);
    child.on('error', (err) => {
      clearInterval(sample);
      reject(err);
    });
    child.on('exit', () => {
      if (child.pid !== undefined) peakRss = Math.max(peakRss, highWaterMark(child.pid));
    });
    child.on('close', (code) => {
      clearInterval(sample);
      resolve({ code: code ?? 1, stdout, stderr, seconds: Number(process.hrtime.bigint() - start) / 1e9, peakRss });
    });
  });
}
