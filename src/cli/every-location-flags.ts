import * as Flags from '@oclif/core/flags';
import type { LocationChoice } from '../location/resolve.js';

/** gc and sync look after every location unless one is named: `resolveEach` reads this choice. */
export const everyLocationFlags = {
  'storage-location': Flags.string({ description: 'only this named location' }),
  storage: Flags.string({ description: 'only this location URL (file:///path or s3://bucket/prefix)' }),
};

export function locationChoice(flags: { 'storage-location'?: string; storage?: string }): LocationChoice {
  return { storageUrl: flags.storage, storageLocation: flags['storage-location'] };
}
