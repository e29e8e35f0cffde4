import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, expired } from './api-error.js';
import type { Cluster } from './cluster.js';
import { includeObjectParam, parseSelection, selects } from './list-handler.js';
import type { OutputForm } from './media-negotiation.js';
import { renderObject, toKube } from './object-rendering.js';
import { groupVersion } from './resource-def.js';
import type { ResolvedResource } from './resource-registry.js';
import type { StoredObject } from './stored-object.js';
import { renderTable } from './table.js';

/**
 * A watch: newline-delimited events (ADDED/MODIFIED/DELETED, BOOKMARK, ERROR) from a
 * resourceVersion, or from the current state with synthetic ADDED events, until the client
 * goes away or timeoutSeconds passes.
 */
export function serveWatch(
  cluster: Cluster, r: ResolvedResource, namespace: string, query: URLSearchParams, form: OutputForm,
  req: IncomingMessage, res: ServerResponse,
): void {
  const selection = parseSelection(r, query);
  const rvParam = query.get('resourceVersion') ?? '';
  const fromRv = rvParam === '' || rvParam === '0' ? undefined : Number(rvParam);
  if (fromRv !== undefined && !Number.isInteger(fromRv)) throw badRequest(`resourceVersion: Invalid value: "${rvParam}": must be an integer`);
  const sendInitial = query.get('sendInitialEvents') === 'true';
  const bookmarks = query.get('allowWatchBookmarks') === 'true';
  const timeoutSeconds = Number(query.get('timeoutSeconds') ?? '0');
  const scopeNamespace = r.def.namespaced ? namespace : '';

  res.writeHead(200, {
    'Content-Type': form === 'table' ? 'application/json;as=Table;v=v1;g=meta.k8s.io' : 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  // Clients wait for the response head before they consider the watch started.
  res.flushHeaders();
  let first = true;
  const send = (type: string, stored: StoredObject): void => {
    if (res.writableEnded) return;
    const object = form === 'table'
      ? renderTable(r, [toKube(r, stored)], { resourceVersion: String(stored.rv) }, includeObjectParam(query), first)
      : renderObject(r, stored);
    first = false;
    res.write(`{"type":"${type}","object":${object}}\n`);
  };

  if (fromRv !== undefined && !sendInitial) {
    const oldest = cluster.watches.tooOld(r.def.storage, fromRv);
    if (oldest !== undefined) {
      const status = expired(`too old resource version: ${fromRv} (${oldest})`).toStatus();
      res.end(`{"type":"ERROR","object":${JSON.stringify(status)}}\n`);
      return;
    }
  }

  let startRv = fromRv;
  if (fromRv === undefined || sendInitial) {
    const collection = cluster.store.collection(r.def.storage);
    const keys = collection.sortedKeys();
    const [start, end] = scopeNamespace ? collection.namespaceRange(scopeNamespace) : [0, keys.length];
    for (let i = start; i < end; i++) {
      const object = collection.items.get(keys[i] as string) as StoredObject;
      if (selects(selection, object)) send('ADDED', object);
    }
    startRv = undefined;
    if (sendInitial && bookmarks) {
      const bookmark = {
        kind: r.def.kind, apiVersion: groupVersion(r.def.group, r.version.name),
        metadata: { resourceVersion: String(cluster.store.currentRv()), annotations: { 'k8s.io/initial-events-end': 'true' } },
      };
      res.write(`{"type":"BOOKMARK","object":${JSON.stringify(bookmark)}}\n`);
    }
  }

  const stop = cluster.watches.subscribe(r.def.storage, startRv, {
    namespace: scopeNamespace,
    matches: (o) => selects(selection, o),
  }, (event) => send(event.type, event.object));
  let timer: NodeJS.Timeout | undefined;
  const finish = (): void => {
    stop();
    if (timer) clearTimeout(timer);
    if (!res.writableEnded) res.end();
  };
  if (timeoutSeconds > 0) timer = setTimeout(finish, timeoutSeconds * 1000);
  req.on('close', finish);
  res.on('close', finish);
}
