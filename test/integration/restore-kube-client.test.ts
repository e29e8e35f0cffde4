import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpKubeClient } from '../../src/kube/client.js';

/** What restores ask of the API client beyond the basics: bodies drained, not parsed. */
describe('restore: API client bodies', () => {
  let server: http.Server;
  let url: string;
  let calls = 0;

  before(async () => {
    server = http.createServer((req, res) => {
      calls++;
      if (req.url === '/cut' && calls === 1) {
        res.writeHead(201, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
        res.write('{"metadata"');
        setTimeout(() => req.socket.destroy(), 5);
        return;
      }
      res.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify({ metadata: { uid: 'u1' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));

  const client = () => new HttpKubeClient({ server: url, headers: async () => ({}), tls: {} }, { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });

  it('parses bodies by default and drains them with discardBody', async () => {
    assert.deepEqual(await client().json({ method: 'POST', path: '/x', body: {} }), { metadata: { uid: 'u1' } });
    assert.deepEqual(await client().json({ method: 'POST', path: '/x', body: {}, discardBody: true }), {});
  });

  it('retries a body cut short, drained or not', async () => {
    calls = 0;
    assert.deepEqual(await client().json({ method: 'POST', path: '/cut', body: {}, discardBody: true }), {});
    assert.equal(calls, 2);
  });
});
