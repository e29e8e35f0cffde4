import { BadInputError, OperationError } from '../errors.js';
import type { RecordKind } from './layout.js';

export class RecordNotFoundError extends BadInputError {
  constructor(
    readonly kind: RecordKind,
    readonly recordName: string,
    location: string,
    /** What is there instead, said after "not found": Velero's backup of the name. */
    instead?: string,
  ) {
    super(`${kind} "${recordName}" not found in ${location}${instead ? ` (${instead})` : ''}; see: kubectl backup ${kind === 'backup' ? 'get' : 'restore get'}`);
  }
}

/**
 * Said of a name that has Velero's record and not ours: the layouts are alike (storage.md), so a
 * Velero user pointing the tool at a Velero bucket must learn why the backup is not there.
 */
export const veleroBackupInstead = 'a Velero backup of that name is there; kubectl-backup reads only backups with its own record, which holds the checksums a restore verifies';

export class RecordExistsError extends BadInputError {
  constructor(
    readonly kind: RecordKind,
    readonly recordName: string,
    /** Whose it is, when not ours: "a Velero backup". */
    owner?: string,
  ) {
    // storage.md spells the backup message exactly; a restore's name is optional, so say so.
    super(`${kind} "${recordName}" already exists${owner ? ` (${owner})` : ''}${kind === 'restore' ? '; choose another name, or leave NAME out for one made from the backup name and the time' : ''}`);
  }
}

/** Retention keeps a backup (or what is left of one): nothing of it was removed. */
export class RecordLockedError extends OperationError {
  constructor(
    readonly kind: RecordKind,
    readonly recordName: string,
    readonly retainUntil: Date | undefined,
    what: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${kind} "${recordName}" ${what}: its storage keeps it under object lock retention${retainUntil ? ` until ${retainUntil.toISOString()}` : ''}; nothing was removed`,
      options,
    );
  }
}
