import { BadInputError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { LabelSelector } from '../kube/label-selector.js';
import type { BackupRepository } from '../storage/backup-repository.js';
import type { BackupCatalog } from './backup-catalog.js';
import { entryLabels, type BackupEntry } from './backup-entry.js';

/** Which backups `delete` removes: names, every one, or those whose labels match. */
export type DeleteSelection = { readonly names: readonly string[] } | { readonly all: true } | { readonly selector: LabelSelector };

/** A backup to delete, as found before anything is removed. */
export interface DeleteTarget {
  readonly name: string;
  /** Its record is in storage (it may not be readable: a broken record can be deleted too). */
  readonly stored: boolean;
  /**
   * For a backup known only from its `Backup` object: that object's uid, so that the delete
   * spares an object a new run made under the name meanwhile (while a prompt waited, say).
   */
  readonly objectUid?: string;
}

export interface DeleteSources {
  readonly catalog: BackupCatalog;
  readonly backups: BackupRepository;
  readonly logger: Logger;
}

/**
 * The backups the selection names, in order (backup.md, Deleting). It changes nothing: an
 * unknown name is bad input before any backup is touched.
 */
export async function selectDeleteTargets(selection: DeleteSelection, { catalog, backups, logger }: DeleteSources): Promise<DeleteTarget[]> {
  if ('names' in selection) {
    const targets: DeleteTarget[] = [];
    for (const name of new Set(selection.names)) {
      if (await backups.exists(name)) {
        targets.push({ name, stored: true });
        continue;
      }
      const entry = await catalog.find(name);
      if (entry) refuseRunning(entry);
      // A backup deleted from storage elsewhere still has its object here, the user's to remove.
      const object = entry?.source === 'cluster' ? entry.object : await catalog.goneFromStorage(name);
      if (!object) throw await catalog.notFound(name);
      targets.push(objectOnly(name, object.uid));
    }
    return targets;
  }
  const { backups: entries, unreadable } = await catalog.list();
  const finished = entries.filter((entry) => !isRunning(entry));
  if ('all' in selection) {
    // A record that cannot be read is still deleted by --all: it is what the user wants gone.
    return [...finished.map(targetOf), ...unreadable.map((u) => ({ name: u.name, stored: true }))].sort((a, b) =>
      a.name.localeCompare(b.name),
    );
  }
  for (const { name, error } of unreadable) logger.log('warn', 'backup record cannot be read, so its labels cannot be matched; it is left alone', { backup: name, error: error.message });
  return finished.filter((entry) => selection.selector(entryLabels(entry))).map(targetOf);
}

function targetOf(entry: BackupEntry): DeleteTarget {
  return entry.source === 'storage' ? { name: entry.name, stored: true } : objectOnly(entry.name, entry.object.uid);
}

function objectOnly(name: string, uid: string | undefined): DeleteTarget {
  return uid === undefined ? { name, stored: false } : { name, stored: false, objectUid: uid };
}

function refuseRunning(entry: BackupEntry): void {
  if (isRunning(entry)) {
    throw new BadInputError(`backup "${entry.name}" is still running (${entry.source === 'cluster' ? entry.phase : ''}); delete it once it has ended`.replace(' ()', ''));
  }
}

/** A backup with no record whose process still reports: deleting its object would not stop it. */
function isRunning(entry: BackupEntry): boolean {
  return entry.source === 'cluster' && (entry.phase === 'New' || entry.phase === 'InProgress');
}
