import type { ItemLocation } from '../archive/archive-paths.js';
import type { KubeObject } from '../kube/types.js';
import type { ActionContext } from './actions/restore-action.js';
import { placeItem } from './item-place.js';
import { prepareItem, type PreparationSettings } from './item-preparation.js';

/**
 * The body an item will be created with, made while the archive is read; undefined when it can
 * only be made at create time. The object is the index's parse of the item, which this mutates.
 */
export type ItemPreparer = (object: KubeObject, location: ItemLocation) => Buffer | undefined;

/** What an action asked of the whole archive before all of it was read. */
class FactNotYetKnown extends Error {}

const notYetKnown = (): never => {
  throw new FactNotYetKnown('a fact of the whole archive');
};

/**
 * Items made ready to send as the archive is read: the index parses each item anyway, and
 * parsing it again from the spool and serialising it at create time was a good part of each
 * create's CPU, which on a machine shared with the API server is what sets a restore's pace.
 * The creates then send the spooled bytes as they are.
 *
 * An item whose per-kind action asks what the whole archive holds (a ServiceAccount's token
 * Secrets, a claim's volume) is left to create time, where the answer is known: the actions see
 * a context whose fact lookups refuse, so that an action added later is safe without being
 * listed here. So is an item with owner references, which are rewritten to the uids of owners
 * created by then, and one that cannot be prepared at all (too deeply nested to serialise):
 * create time deals with it as with any other.
 */
export function earlyPreparation(settings: PreparationSettings): ItemPreparer {
  const context: ActionContext = { mapNamespace: settings.mapNamespace, preserveNodePorts: settings.preserveNodePorts, isTokenSecret: notYetKnown, provisionsVolumeAnew: notYetKnown };
  return (object, location) => {
    if (object.metadata.ownerReferences !== undefined) return undefined;
    try {
      prepareItem(object, placeItem(location, settings.mapNamespace).namespace, context, settings.labels);
      return Buffer.from(JSON.stringify(object));
    } catch {
      return undefined;
    }
  };
}
