import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { KubeClient, KubeRequest } from '../../src/kube/client.js';
import { interruptibleClient } from '../../src/kube/interruptible-client.js';

/** A client whose requests wait until their signal aborts, then fail as a cancelled request does. */
function hangingClient(): KubeClient & { sent: KubeRequest[] } {
  const sent: KubeRequest[] = [];
  const hang = (req: KubeRequest) =>
    new Promise<never>((_resolve, reject) => {
      sent.push(req);
      req.signal?.addEventListener('abort', () => reject(Object.assign(new Error('The operation was aborted'), { name: 'AbortError' })));
    });
  return { server: 'https://cluster.example', sent, json: hang, stream: hang };
}

describe('interruptibleClient', () => {
  it('lets go of requests in flight and refuses later ones, each failing with the reason', async () => {
    const inner = hangingClient();
    const stop = new AbortController();
    const client = interruptibleClient(inner, stop.signal);
    const inFlight = client.json({ method: 'GET', path: '/api/v1/namespaces' });
    const reason = new Error('interrupted by SIGINT');
    stop.abort(reason);
    await assert.rejects(inFlight, (err) => err === reason);
    await assert.rejects(client.json({ method: 'GET', path: '/api' }), (err) => err === reason);
    assert.equal(inner.sent.length, 1, 'nothing is sent once interrupted');
  });

  it('keeps a request’s own signal', async () => {
    const inner = hangingClient();
    const client = interruptibleClient(inner, new AbortController().signal);
    const own = new AbortController();
    const request = client.json({ method: 'GET', path: '/api', signal: own.signal });
    own.abort();
    await assert.rejects(request, { name: 'AbortError' });
  });

  it('ends a stream it opened when interrupted', async () => {
    const body = new PassThrough();
    const stop = new AbortController();
    const client = interruptibleClient({ server: 's', json: () => Promise.reject(new Error('unused')), stream: () => Promise.resolve(body) }, stop.signal);
    const stream = await client.stream({ method: 'GET', path: '/api/v1/pods?watch=1' });
    const ended = new Promise((resolve) => stream.once('error', resolve));
    stop.abort(new Error('interrupted by SIGTERM'));
    assert.equal(((await ended) as Error).name, 'AbortError');
    assert.ok(body.destroyed);
  });
});
