import { formatAge, type Column } from '../cli/output.js';
import { entryCounts, entryExpiration, entryPhase, entrySelector, entryStarted, entryStorageLocation, type BackupEntry } from './backup-entry.js';
import { printable } from './printable.js';

/** `backup get` columns, Velero's: NAME STATUS ERRORS WARNINGS CREATED EXPIRES STORAGE LOCATION SELECTOR. */
export function backupColumns(now: Date): Column<BackupEntry>[] {
  return [
    { header: 'Name', value: (e) => e.name },
    { header: 'Status', value: (e) => entryPhase(e) },
    { header: 'Errors', value: (e) => entryCounts(e).errors },
    { header: 'Warnings', value: (e) => entryCounts(e).warnings },
    { header: 'Created', value: (e) => formatCreated(entryStarted(e)) },
    { header: 'Expires', value: (e) => formatExpires(entryExpiration(e), now) },
    { header: 'Storage Location', value: (e) => printable(entryStorageLocation(e)) },
    { header: 'Selector', value: (e) => printable(entrySelector(e)) },
  ];
}

/** As Velero prints a start time (Go's time.String in UTC): `2024-05-01 12:00:00 +0000 UTC`. */
export function formatCreated(timestamp: string | undefined): string {
  if (timestamp === undefined) return '<n/a>';
  const date = new Date(timestamp);
  if (Number.isNaN(date.getTime())) return '<n/a>';
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`;
}

/** Time left, as Velero prints it: `29d`, `5h`; `3d ago` once passed; `<never>` for a TTL of 0. */
export function formatExpires(expiration: string | null | undefined, now: Date): string {
  if (expiration === null) return '<never>';
  if (expiration === undefined) return 'n/a';
  const when = new Date(expiration);
  if (Number.isNaN(when.getTime())) return 'n/a';
  return when.getTime() >= now.getTime() ? formatAge(now, when) : `${formatAge(when, now)} ago`;
}
