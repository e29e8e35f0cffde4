/** `BACKUP-YYYYMMDDhhmmss` (UTC): the default restore name (cli.md). */
export function defaultRestoreName(backupName: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${backupName}-${stamp}`;
}
