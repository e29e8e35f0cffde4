import assert from 'node:assert/strict';
import http from 'node:http';
import type { ListBody, StatusBody } from '../apiserver/api-shapes.js';
import { startTestApiServer, type RequestLogEntry, type TestApiServer } from '../apiserver/index.js';
import { RawClient } from '../apiserver/raw-client.js';

/** A GET with node:http, reporting how much of the body arrived before the connection ended. */
function rawGet(server: TestApiServer, path: string): Promise<{ status?: number; received: number; declared?: number; error?: string }> {
  return new Promise((resolve) => {
    let received = 0;
    let status: number | undefined;
    let declared: number | undefined;
    const req = http.get(`${server.url}${path}`, { headers: { Authorization: `Bearer ${server.token}` }, agent: false }, (res) => {
      status = res.statusCode;
      declared = Number(res.headers['content-length']);
      res.on('data', (chunk: Buffer) => (received += chunk.length));
      res.on('end', () => resolve({ status, received, declared }));
      res.on('error', (err) => resolve({ status, received, declared, error: err.message }));
      res.on('aborted', () => resolve({ status, received, declared, error: 'aborted' }));
    });
    req.on('error', (err) => resolve({ status, received, declared, error: err.message }));
  });
}

describe('test apiserver: fault injection and the request log', () => {
  let server: TestApiServer;
  let api: RawClient;
  const LIST = '/api/v1/namespaces/default/configmaps';

  before(async () => {
    server = await startTestApiServer();
    api = new RawClient(server);
    await server.seed(Array.from({ length: 30 }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `f-${String(i).padStart(2, '0')}`, namespace: 'default' }, data: { v: 'x'.repeat(200) } })));
  });
  afterEach(() => {
    server.faults.clear();
  });
  after(async () => {
    await server.close();
  });

  it('answers the next N matching requests with a status, a Status body and Retry-After', async () => {
    server.faults.add({ method: 'GET', path: '/configmaps$', status: 429, retryAfterSeconds: 2, times: 2 });
    const first = await api.json<StatusBody>('GET', LIST);
    assert.equal(first.status, 429);
    assert.equal(first.headers.get('retry-after'), '2');
    assert.deepEqual(first.body, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Too many requests, please try again later.',
      reason: 'TooManyRequests', details: { retryAfterSeconds: 2 }, code: 429,
    });
    assert.equal((await api.request('GET', `${LIST}/f-00`)).status, 200, 'other paths are not affected');
    assert.equal((await api.request('POST', LIST, { metadata: { name: 'post-ok' } })).status, 201, 'other methods are not affected');
    assert.equal((await api.request('GET', LIST)).status, 429);
    assert.equal((await api.request('GET', LIST)).status, 200, 'the fault is used up');

    server.faults.add({ path: '/configmaps$', status: 503, skip: 1 });
    assert.equal((await api.request('GET', LIST)).status, 200, 'skipped');
    const unavailable = await api.json<StatusBody>('GET', LIST);
    assert.equal(unavailable.status, 503);
    assert.equal(unavailable.body.reason, 'ServiceUnavailable');
  });

  it('matches on query parameters, e.g. only continued pages', async () => {
    server.faults.add({ path: '/configmaps$', query: { continue: '.' }, status: 410, message: 'The provided continue parameter is too old to display a consistent list result.' });
    const first = await api.json<ListBody>('GET', `${LIST}?limit=10`);
    assert.equal(first.status, 200);
    const second = await api.json<StatusBody>('GET', `${LIST}?limit=10&continue=${first.body.metadata.continue}`);
    assert.equal(second.status, 410);
    assert.equal(second.body.reason, 'Expired');
  });

  it('delays requests', async () => {
    server.faults.add({ path: '/configmaps/f-01$', delayMs: 120 });
    const started = Date.now();
    assert.equal((await api.request('GET', `${LIST}/f-01`)).status, 200);
    assert.ok(Date.now() - started >= 110);
  });

  it('resets connections before the response and in the middle of a page', async () => {
    server.faults.add({ path: '/configmaps$', reset: true });
    const reset = await rawGet(server, LIST);
    assert.equal(reset.status, undefined);
    assert.match(reset.error ?? '', /socket hang up|ECONNRESET/);

    server.faults.add({ path: '/configmaps$', reset: 'mid-body' });
    const cut = await rawGet(server, `${LIST}?limit=20`);
    assert.equal(cut.status, 200);
    assert.ok(cut.error, 'the response ends with an error');
    assert.ok(cut.received > 0 && cut.received < (cut.declared ?? 0), `got ${cut.received} of ${cut.declared} bytes`);

    server.faults.add({ path: '/configmaps$', reset: true, resetAfterBytes: 100 });
    const hundred = await rawGet(server, LIST);
    assert.equal(hundred.received, 100);
    assert.equal((await api.request('GET', LIST)).status, 200, 'later requests are served');
  });

  it('logs requests with method, path, query and status, and clears the log', async () => {
    server.requestLog.clear();
    await api.request('GET', `${LIST}?limit=5`);
    await api.request('GET', `${LIST}/missing`);
    server.faults.add({ path: 'secrets', status: 500 });
    await api.request('GET', '/api/v1/secrets');
    const log = server.requestLog.list().map((e: RequestLogEntry) => [e.method, e.path, e.query, e.status, e.fault]);
    assert.deepEqual(log, [
      ['GET', LIST, 'limit=5', 200, undefined],
      ['GET', `${LIST}/missing`, '', 404, undefined],
      ['GET', '/api/v1/secrets', '', 500, 'status'],
    ]);
    server.requestLog.clear();
    assert.deepEqual(server.requestLog.list(), []);
  });

  it('offers the same controls over HTTP under /_test/', async () => {
    const control = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> => {
      const res = await fetch(`${server.url}/_test/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, body: await res.json() };
    };
    assert.equal((await control('DELETE', 'requests')).status, 200);
    const added = await control('POST', 'faults', { method: 'GET', path: '/configmaps/f-02$', status: 429, retryAfterSeconds: 1, times: 1 });
    assert.equal(added.status, 201);
    assert.equal(typeof (added.body as { id: number }).id, 'number');
    assert.equal((await control('GET', 'faults')).body instanceof Array, true);
    assert.equal((await api.request('GET', `${LIST}/f-02`)).status, 429);
    assert.equal((await api.request('GET', `${LIST}/f-02`)).status, 200);

    const log = (await control('GET', 'requests')).body as RequestLogEntry[];
    assert.deepEqual(log.map((e) => e.status), [429, 200], 'control requests are not logged');

    const first = await api.json<ListBody>('GET', `${LIST}?limit=5`);
    assert.equal((await control('POST', 'expire-continue-tokens')).status, 200);
    assert.equal((await api.request('GET', `${LIST}?limit=5&continue=${first.body.metadata.continue}`)).status, 410);

    const seeded = await control('POST', 'seed', [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-http', namespace: 'seeded' } }]);
    assert.deepEqual(seeded.body, { created: 1 });
    assert.equal((await api.request('GET', '/api/v1/namespaces/seeded/configmaps/from-http')).status, 200);

    await control('POST', 'faults', { path: 'namespaces', status: 500, times: 0 });
    assert.equal((await api.request('GET', '/api/v1/namespaces')).status, 500);
    assert.equal((await api.request('GET', '/api/v1/namespaces')).status, 500, 'times 0: until cleared');
    assert.equal((await control('DELETE', 'faults')).status, 200);
    assert.equal((await api.request('GET', '/api/v1/namespaces')).status, 200);
  });
});
