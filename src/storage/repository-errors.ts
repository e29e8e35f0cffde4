import { BadInputError, OperationError } from '../errors.js';
import type { RecordKind } from './layout.js';

export class RecordNotFoundError extends BadInputError {
  constructor(
    readonly kind: RecordKind,
    readonly recordName: string,
    location: string,
  ) {
    super(`${kind} "${recordName}" not found in ${location}; see: kubectl backup ${kind === 'backup' ? 'get' : 'restore get'}`);
  }
}

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
