import type { ItemLocation } from '../archive/archive-paths.js';

/** Where an item goes: its namespace and name after --namespace-mappings. */
export interface ItemPlace {
  readonly namespace: string | undefined;
  readonly name: string;
}

/** The mappings rename a Namespace too. */
export function placeItem(item: ItemLocation, mapNamespace: (namespace: string) => string): ItemPlace {
  return {
    namespace: item.namespace === undefined ? undefined : mapNamespace(item.namespace),
    name: item.resource === 'namespaces' ? mapNamespace(item.name) : item.name,
  };
}
