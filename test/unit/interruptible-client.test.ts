import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { setTimeout as pause } from 'node:timers/promises';
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

  it('does not send a retried request again once interrupted, even mid-pause', async () => {
    // As HttpKubeClient retries: onRetry, then a pause that ends early when the request's signal aborts, then another attempt.
    let sends = 0;
    const retrying: KubeClient = {
      server: 's',
      stream: () => Promise.reject(new Error('unused')),
      json: async (req) => {
        for (let attempt = 1; ; attempt++) {
          sends++;
          req.onRetry?.({ method: req.method, path: req.path, attempt, delayMs: 40, reason: '503' });
          await pause(40, undefined, req.signal ? { signal: req.signal } : undefined);
        }
      },
    };
    const stop = new AbortController();
    const client = interruptibleClient(retrying, stop.signal);
    const reason = new Error('interrupted by SIGINT');
    const creating = client.json({ method: 'POST', path: '/api/v1/namespaces/a/configmaps' });
    creating.catch(() => undefined);
    await pause(10);
    stop.abort(reason);
    await assert.rejects(creating, (err) => err === reason);
    await pause(100);
    assert.equal(sends, 1, 'the pause ended with the interruption, and no attempt followed');
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
