import assert from 'node:assert/strict';
import http from 'node:http';
import type { ListBody, Obj, StatusBody } from '../apiserver/api-shapes.js';
import { startTestApiServer, type TestApiServer } from '../apiserver/index.js';
import { RawClient } from '../apiserver/raw-client.js';

interface WatchEvent {
  type: string;
  object: Obj & { code?: number; reason?: string; message?: string };
}

/** Opens a watch and collects its events until `count` arrived or the timeout passed. */
function watch(server: TestApiServer, path: string, count: number, timeoutMs = 3000): { events: WatchEvent[]; done: Promise<WatchEvent[]>; ready: Promise<void> } {
  const events: WatchEvent[] = [];
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const done = new Promise<WatchEvent[]>((resolve, reject) => {
    const req = http.get(`${server.url}${path}`, { headers: { Authorization: `Bearer ${server.token}` } }, (res) => {
      markReady();
      let buffer = '';
      const finish = (): void => {
        clearTimeout(timer);
        req.destroy();
        resolve(events);
      };
      const timer = setTimeout(finish, timeoutMs);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          events.push(JSON.parse(buffer.slice(0, nl)) as WatchEvent);
          buffer = buffer.slice(nl + 1);
          if (events.length >= count) finish();
        }
      });
      res.on('end', finish);
    });
    req.on('error', (err) => (events.length >= count ? resolve(events) : reject(err)));
  });
  return { events, done, ready };
}

describe('test apiserver: LIST, selectors and WATCH', () => {
  let server: TestApiServer;
  let api: RawClient;

  before(async () => {
    server = await startTestApiServer({ continueTokenTtlMs: 60_000 });
    api = new RawClient(server);
    const objects = [];
    for (const ns of ['list-b', 'list-a', 'list-a-b']) {
      for (let i = 0; i < 5; i++) {
        objects.push({
          apiVersion: 'v1', kind: 'ConfigMap',
          metadata: { name: `cm-${i}`, namespace: ns, labels: { tier: i % 2 === 0 ? 'even' : 'odd', idx: String(i), ...(i === 0 ? { first: '' } : {}) } },
          data: { i: String(i) },
        });
      }
    }
    objects.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls', namespace: 'list-a' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'YQ==', 'tls.key': 'YQ==' } });
    await server.seed(objects);
  });
  after(async () => {
    await server.close();
  });

  const names = (list: ListBody): string[] => list.items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`);

  it('pages in (namespace, name) order with continue tokens and remainingItemCount', async () => {
    const all = await api.json<ListBody>('GET', '/api/v1/configmaps');
    assert.equal(all.body.kind, 'ConfigMapList');
    assert.equal(all.body.items[0]?.kind, undefined);
    const ours = names(all.body).filter((n) => n.startsWith('list-'));
    assert.deepEqual(ours.slice(0, 5), ['list-a-b/cm-0', 'list-a-b/cm-1', 'list-a-b/cm-2', 'list-a-b/cm-3', 'list-a-b/cm-4']);
    assert.equal(ours[5], 'list-a-b/kube-root-ca.crt');
    assert.equal(ours[6], 'list-a/cm-0', "etcd compares `ns/name` as bytes: 'list-a-b/' before 'list-a/', as '-' < '/'");

    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    let firstRv = '';
    do {
      const page = await api.json<ListBody>('GET', `/api/v1/namespaces/list-a/configmaps?limit=2${token ? `&continue=${token}` : ''}`);
      if (pages === 0) {
        firstRv = page.body.metadata.resourceVersion;
        assert.equal(page.body.metadata.remainingItemCount, 4, 'kube-root-ca.crt and cm-0..4 minus the first page');
      }
      assert.equal(page.body.metadata.resourceVersion, firstRv, 'every page reports the list resourceVersion');
      seen.push(...names(page.body));
      token = page.body.metadata.continue;
      pages++;
    } while (token);
    assert.equal(pages, 3);
    assert.deepEqual(seen, ['list-a/cm-0', 'list-a/cm-1', 'list-a/cm-2', 'list-a/cm-3', 'list-a/cm-4', 'list-a/kube-root-ca.crt']);

    const cached = await api.json<ListBody>('GET', '/api/v1/namespaces/list-a/configmaps?limit=2&resourceVersion=0');
    assert.equal(cached.body.items.length, 6, 'resourceVersion=0 is served from the watch cache, which ignores limit');
    assert.equal(cached.body.metadata.continue, undefined);
  });

  it('orders names as etcd does, by UTF-8 bytes: a character above U+FFFF after one of U+E000–U+FFFF, page after page', async () => {
    // Role names are path segments: any character but '/' and '%'.
    const roleNames = ['r😀', 'r！', 'ra', 'r\u{e000}', 'r\u{10ffff}', 'rz'];
    await server.seed(roleNames.map((name) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace: 'list-roles' }, rules: [] })));
    const byBytes = [...roleNames].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    assert.deepEqual(byBytes, ['ra', 'rz', 'r\u{e000}', 'r！', 'r😀', 'r\u{10ffff}']);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await api.json<ListBody>('GET', `/apis/rbac.authorization.k8s.io/v1/namespaces/list-roles/roles?limit=1${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
      seen.push(...page.body.items.map((i) => i.metadata.name!));
      token = page.body.metadata.continue;
    } while (token);
    assert.deepEqual(seen, byBytes);
  });

  it('reads the pages after the first at the list resourceVersion, as etcd does: later deletes, updates and creates do not show', async () => {
    const ns = 'list-snapshot';
    await server.seed([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }]);
    const configMap = (name: string, value: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels: { snap: 'yes' } }, data: { value } });
    for (const name of ['s-0', 's-1', 's-2', 's-3']) assert.equal((await api.request('POST', `/api/v1/namespaces/${ns}/configmaps`, configMap(name, 'before'))).status, 201);
    const path = `/api/v1/namespaces/${ns}/configmaps?labelSelector=snap%3Dyes&limit=2`;
    const first = await api.json<ListBody>('GET', path);
    assert.deepEqual(names(first.body), [`${ns}/s-0`, `${ns}/s-1`]);
    const listRv = first.body.metadata.resourceVersion;
    const s3Before = (await api.json<Obj>('GET', `/api/v1/namespaces/${ns}/configmaps/s-3`)).body.metadata.resourceVersion;

    assert.equal((await api.request('DELETE', `/api/v1/namespaces/${ns}/configmaps/s-2`)).status, 200);
    assert.equal((await api.request('PUT', `/api/v1/namespaces/${ns}/configmaps/s-3`, configMap('s-3', 'after'))).status, 200);
    for (const name of ['s-25', 's-4']) assert.equal((await api.request('POST', `/api/v1/namespaces/${ns}/configmaps`, configMap(name, 'new'))).status, 201);

    const rest: Obj[] = [];
    let token = first.body.metadata.continue;
    while (token) {
      const page = await api.json<ListBody>('GET', `${path}&continue=${token}`);
      assert.equal(page.status, 200);
      assert.equal(page.body.metadata.resourceVersion, listRv, 'every page is read at the list resourceVersion');
      rest.push(...page.body.items);
      token = page.body.metadata.continue;
    }
    assert.deepEqual(rest.map((item) => item.metadata.name), ['s-2', 's-3'], 'the deleted s-2 is still listed; s-25 and s-4 came later');
    const s3 = rest[1] as Obj & { data: { value: string } };
    assert.equal(s3.data.value, 'before');
    assert.equal(s3.metadata.resourceVersion, s3Before);

    const now = await api.json<ListBody>('GET', `/api/v1/namespaces/${ns}/configmaps?labelSelector=snap%3Dyes`);
    assert.deepEqual(names(now.body), [`${ns}/s-0`, `${ns}/s-1`, `${ns}/s-25`, `${ns}/s-3`, `${ns}/s-4`]);
    assert.equal((now.body.items[3] as Obj & { data: { value: string } }).data.value, 'after');

    // An update alone (no object added or removed) still makes the next list's snapshot anew.
    const listed = await api.json<ListBody>('GET', path);
    assert.ok(listed.body.metadata.continue, 'a snapshot was taken before the update');
    assert.equal((await api.request('PUT', `/api/v1/namespaces/${ns}/configmaps/s-3`, configMap('s-3', 'latest'))).status, 200);
    const relisted = await api.json<ListBody>('GET', path);
    const second = await api.json<ListBody>('GET', `${path}&continue=${relisted.body.metadata.continue}`);
    assert.deepEqual(names(second.body), [`${ns}/s-25`, `${ns}/s-3`]);
    assert.equal((second.body.items[1] as Obj & { data: { value: string } }).data.value, 'latest');
  });

  it('answers 410 Expired for continue tokens that are too old, with a token to go on', async () => {
    const first = await api.json<ListBody>('GET', '/api/v1/namespaces/list-b/configmaps?limit=2');
    server.expireContinueTokens();
    const stale = await api.json<StatusBody>('GET', `/api/v1/namespaces/list-b/configmaps?limit=2&continue=${first.body.metadata.continue}`);
    assert.equal(stale.status, 410);
    assert.equal(stale.body.reason, 'Expired');
    assert.equal(stale.body.code, 410);
    assert.match(stale.body.message, /^The provided continue parameter is too old to display a consistent list result\. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results\./);
    // As a real server's: the token goes on from the same key at resourceVersion -1, the latest.
    const decodeToken = (token: string | undefined): { rv: number; start: string } => JSON.parse(Buffer.from(token ?? '', 'base64url').toString('utf8'));
    assert.deepEqual(decodeToken(stale.body.metadata.continue), { ...decodeToken(first.body.metadata.continue), rv: -1 });
    const inconsistent = await api.json<ListBody>('GET', `/api/v1/namespaces/list-b/configmaps?limit=2&continue=${stale.body.metadata.continue}`);
    assert.equal(inconsistent.status, 200);
    assert.deepEqual(names(inconsistent.body), ['list-b/cm-2', 'list-b/cm-3']);
    assert.ok(Number(inconsistent.body.metadata.resourceVersion) > Number(first.body.metadata.resourceVersion), 'read at the latest resourceVersion');
    assert.equal(decodeToken(inconsistent.body.metadata.continue).rv, Number(inconsistent.body.metadata.resourceVersion));
    assert.equal((await api.request('GET', `/api/v1/namespaces/list-b/configmaps?limit=2&continue=${inconsistent.body.metadata.continue}`)).status, 200);

    server.setContinueTokenTtl(50);
    const again = await api.json<ListBody>('GET', '/api/v1/namespaces/list-b/configmaps?limit=2');
    await new Promise((resolve) => setTimeout(resolve, 80));
    const expired = await api.json<StatusBody>('GET', `/api/v1/namespaces/list-b/configmaps?limit=2&continue=${again.body.metadata.continue}`);
    assert.equal(expired.status, 410);
    // Nothing was written meanwhile, yet a list started now, and one continued with the token the
    // 410 carries, are at a revision after the compaction (the real server's compaction writes a
    // key of its own).
    const fresh = await api.json<ListBody>('GET', '/api/v1/namespaces/list-b/configmaps?limit=2');
    assert.ok(Number(fresh.body.metadata.resourceVersion) > Number(again.body.metadata.resourceVersion));
    assert.equal((await api.request('GET', `/api/v1/namespaces/list-b/configmaps?limit=2&continue=${fresh.body.metadata.continue}`)).status, 200);
    const continued = await api.json<ListBody>('GET', `/api/v1/namespaces/list-b/configmaps?limit=2&continue=${expired.body.metadata.continue}`);
    assert.equal(continued.status, 200);
    assert.ok(Number(continued.body.metadata.resourceVersion) > Number(again.body.metadata.resourceVersion));
    server.setContinueTokenTtl(60_000);

    const garbage = await api.json<StatusBody>('GET', '/api/v1/configmaps?limit=2&continue=not-a-token');
    assert.equal(garbage.status, 400);
    assert.match(garbage.body.message, /^invalid continue token/);
  });

  it('filters with label selectors of every form', async () => {
    const select = async (selector: string): Promise<string[]> => {
      const res = await api.json<ListBody>('GET', `/api/v1/namespaces/list-a/configmaps?labelSelector=${encodeURIComponent(selector)}`);
      assert.equal(res.status, 200, selector);
      return res.body.items.map((i) => i.metadata.name);
    };
    assert.deepEqual(await select('tier=even'), ['cm-0', 'cm-2', 'cm-4']);
    assert.deepEqual(await select('tier==odd'), ['cm-1', 'cm-3']);
    assert.deepEqual(await select('tier!=even'), ['cm-1', 'cm-3', 'kube-root-ca.crt']);
    assert.deepEqual(await select('idx in (1, 4)'), ['cm-1', 'cm-4']);
    assert.deepEqual(await select('idx notin (1,4),tier'), ['cm-0', 'cm-2', 'cm-3']);
    assert.deepEqual(await select('first'), ['cm-0']);
    assert.deepEqual(await select('!tier'), ['kube-root-ca.crt']);
    assert.deepEqual(await select('idx>2'), ['cm-3', 'cm-4']);
    const bad = await api.json<StatusBody>('GET', `/api/v1/configmaps?labelSelector=${encodeURIComponent('a in b')}`);
    assert.equal(bad.status, 400);
    // Keys must be qualified names and values label values, as apimachinery's selector parser checks.
    for (const invalid of ['a=-b', '-a=b', 'a/b/c=x', 'Example.com/app=web', 'x notin (-a)']) {
      assert.equal((await api.json<StatusBody>('GET', `/api/v1/configmaps?labelSelector=${encodeURIComponent(invalid)}`)).status, 400, invalid);
    }
    for (const valid of ['example.com/app=web', 'a==b_c.d', 'a=', 'n>-5']) {
      assert.equal((await api.json<StatusBody>('GET', `/api/v1/configmaps?labelSelector=${encodeURIComponent(valid)}`)).status, 200, valid);
    }
    const paged = await api.json<ListBody>('GET', '/api/v1/namespaces/list-a/configmaps?labelSelector=tier%3Deven&limit=2');
    assert.equal(paged.body.items.length, 2);
    assert.equal(paged.body.metadata.remainingItemCount, undefined, 'no remaining count with a selector');
  });

  it('filters with field selectors and rejects unsupported fields with 400', async () => {
    const byName = await api.json<ListBody>('GET', '/api/v1/configmaps?fieldSelector=metadata.name%3Dcm-3');
    assert.deepEqual(names(byName.body), ['list-a-b/cm-3', 'list-a/cm-3', 'list-b/cm-3']);
    const byNs = await api.json<ListBody>('GET', '/api/v1/configmaps?fieldSelector=metadata.namespace%3Dlist-b,metadata.name!%3Dcm-0&labelSelector=tier');
    assert.deepEqual(names(byNs.body), ['list-b/cm-1', 'list-b/cm-2', 'list-b/cm-3', 'list-b/cm-4']);
    const secrets = await api.json<ListBody>('GET', '/api/v1/secrets?fieldSelector=type%3Dkubernetes.io%2Ftls');
    assert.deepEqual(names(secrets.body), ['list-a/tls']);
    const unsupported = await api.json<StatusBody>('GET', '/api/v1/configmaps?fieldSelector=data.i%3D1');
    assert.equal(unsupported.status, 400);
    assert.equal(unsupported.body.reason, 'BadRequest');
    assert.equal(unsupported.body.message, 'field label not supported: data.i');
  });

  it('gzips responses of 128 KiB or more for clients that accept gzip', async () => {
    await api.json('POST', '/api/v1/namespaces/list-b/configmaps', { metadata: { name: 'big' }, data: { blob: 'x'.repeat(200 * 1024) } });
    const get = (encoding: string): Promise<http.IncomingMessage> => new Promise((resolve, reject) => {
      http.get(`${server.url}/api/v1/namespaces/list-b/configmaps`, { headers: { Authorization: `Bearer ${server.token}`, 'Accept-Encoding': encoding } }, (res) => {
        res.resume();
        resolve(res);
      }).on('error', reject);
    });
    assert.equal((await get('gzip')).headers['content-encoding'], 'gzip');
    assert.equal((await get('identity')).headers['content-encoding'], undefined);
    const small = await get('gzip, deflate');
    assert.ok(small.headers['content-length']);
    const viaFetch = await api.json<ListBody>('GET', '/api/v1/namespaces/list-b/configmaps');
    assert.equal(viaFetch.body.items.find((i) => i.metadata.name === 'big')?.data?.blob?.length, 200 * 1024);
    await api.json('DELETE', '/api/v1/namespaces/list-b/configmaps/big');
  });

  it('serves Table output for kubectl get', async () => {
    const table = await api.json<{ kind: string; columnDefinitions: { name: string }[]; rows: { cells: unknown[]; object: { kind: string } }[] }>(
      'GET', '/api/v1/namespaces/list-a/configmaps?limit=1', undefined, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
    assert.equal(table.body.kind, 'Table');
    assert.deepEqual(table.body.columnDefinitions.map((c) => c.name), ['Name', 'Data', 'Age']);
    assert.equal(table.body.rows[0]?.cells[0], 'cm-0');
    assert.equal(table.body.rows[0]?.cells[1], 1);
    assert.equal(table.body.rows[0]?.object.kind, 'PartialObjectMetadata');
  });

  it('serves metadata only as the kind asked fits the request: a list for a list, an object for an object, else the next media range', async () => {
    const asList = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
    const asObject = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';
    const kindOf = async (path: string, accept: string) => (await api.json<{ kind: string }>('GET', path, undefined, { Accept: accept })).body.kind;
    assert.equal(await kindOf('/api/v1/namespaces/list-a/configmaps', asList), 'PartialObjectMetadataList');
    assert.equal(await kindOf('/api/v1/namespaces/list-a/configmaps', asObject), 'ConfigMapList');
    assert.equal(await kindOf('/api/v1/namespaces/list-a/configmaps/cm-0', asObject), 'PartialObjectMetadata');
    assert.equal(await kindOf('/api/v1/namespaces/list-a/configmaps/cm-0', asList), 'ConfigMap');
  });

  it('streams ADDED, MODIFIED and DELETED events from a resourceVersion, filtered by field selector', async () => {
    const cms = '/api/v1/namespaces/list-a/configmaps';
    const start = await api.json<ListBody>('GET', `${cms}?limit=1`);
    const w = watch(server, `${cms}?watch=true&resourceVersion=${start.body.metadata.resourceVersion}&fieldSelector=metadata.name%3Dwatched`, 3);
    await w.ready;
    await api.json('POST', cms, { metadata: { name: 'ignored' } });
    await api.json('POST', cms, { metadata: { name: 'watched' }, data: { v: '1' } });
    await api.json('PATCH', `${cms}/watched`, { data: { v: '2' } }, { 'Content-Type': 'application/merge-patch+json' });
    await api.json('DELETE', `${cms}/watched`);
    const events = await w.done;
    assert.deepEqual(events.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
    assert.equal(events[0]?.object.kind, 'ConfigMap', 'watch events carry kind');
    assert.equal(events[1]?.object.data?.v, '2');

    const replay = watch(server, `${cms}?watch=1&resourceVersion=${start.body.metadata.resourceVersion}&labelSelector=tier`, 100, 300);
    assert.equal((await replay.done).length, 0, 'no labelled changes since then');
    const initial = watch(server, `${cms}?watch=true&labelSelector=tier%3Deven`, 3);
    assert.deepEqual((await initial.done).map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED cm-0', 'ADDED cm-2', 'ADDED cm-4']);
  });

  it('reports a watch from a compacted resourceVersion as an ERROR event with 410', async () => {
    const small = await startTestApiServer({ watchHistorySize: 2 });
    try {
      const raw = new RawClient(small);
      for (const name of ['a', 'b', 'c', 'd']) await raw.json('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name } });
      const w = watch(small, '/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1', 1);
      const [event] = await w.done;
      assert.equal(event?.type, 'ERROR');
      assert.equal(event?.object.code, 410);
      assert.equal(event?.object.reason, 'Expired');
      assert.match(event?.object.message ?? '', /^too old resource version: 1 \(\d+\)$/);
    } finally {
      await small.close();
    }
  });
});
