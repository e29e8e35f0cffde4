import { BackupEngine, type BackupEngineDeps } from '../../src/backup/backup-engine.js';
import type { BackupOutcome } from '../../src/backup/backup-outcome.js';
import { defaultFilters, defaultPageSize, defaultTtlMs, type BackupFilters, type BackupRequest } from '../../src/backup/backup-request.js';
import { connectCluster } from '../../src/kube/cluster.js';
import type { KubeClient } from '../../src/kube/client.js';
import type { LogFields, Logger, LogLevel } from '../../src/log/logger.js';

/** A logger that keeps what it is told, for assertions. */
export class MemoryLogger implements Logger {
  readonly lines: { level: LogLevel; message: string; fields: LogFields }[] = [];
  log(level: LogLevel, message: string, fields: LogFields = {}): void {
    this.lines.push({ level, message, fields });
  }
  messages(level?: LogLevel): string[] {
    return this.lines.filter((l) => level === undefined || l.level === level).map((l) => l.message);
  }
}

/** A client for the test server that retries fast: tests inject faults, not waits. */
export async function fastClient(kubeconfig: string, attempts = 4): Promise<KubeClient> {
  const { client } = await connectCluster({ kubeconfig }, { retry: { attempts, baseDelayMs: 5, maxDelayMs: 50 }, timeoutMs: 10_000 });
  return client;
}

export function backupRequest(name: string, filters: Partial<BackupFilters> = {}, overrides: Partial<Omit<BackupRequest, 'filters'>> = {}): BackupRequest {
  return {
    name,
    filters: { ...defaultFilters, ...filters },
    ttlMs: defaultTtlMs,
    labels: {},
    annotations: {},
    pageSize: defaultPageSize,
    dryRun: false,
    ...overrides,
  };
}

export type RunDeps = Omit<BackupEngineDeps, 'logger'> & { logger?: Logger };

export async function runBackup(request: BackupRequest, deps: RunDeps): Promise<BackupOutcome & { logger: MemoryLogger }> {
  const logger = deps.logger instanceof MemoryLogger ? deps.logger : new MemoryLogger();
  const outcome = await new BackupEngine(request, { ...deps, logger }).run();
  return { ...outcome, logger };
}
