import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeApiError, isNotFound } from '../../src/kube/api-error.js';
import zlib from 'node:zlib';
import { HttpKubeClient, isLoopback, type RetryNotice } from '../../src/kube/client.js';

type Responder = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A loopback server answering from a script of responders, one per request. */
async function scriptedServer(script: Responder[]): Promise<{ url: string; requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`.trim());
    const next = script.shift() ?? ((_, r) => r.writeHead(500).end());
    next(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

const json = (code: number, body: unknown, headers: Record<string, string> = {}): Responder => (_req, res) => {
  res.writeHead(code, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
};
const status = (code: number, reason: string) => json(code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, code, message: `${reason} happened` });
const reset: Responder = (req) => req.socket.destroy();
const resetMidBody: Responder = (req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
  res.write('{"items":[{"metadata"');
  setTimeout(() => req.socket.destroy(), 5);
};

function client(url: string, notices: RetryNotice[] = []) {
  return new HttpKubeClient(
    { server: url, headers: async () => ({ Authorization: 'Bearer t0ken' }), tls: {} },
    { retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 }, onRetry: (n) => notices.push(n) },
  );
}

describe('API client', () => {
  it('sends auth headers and query parameters, and parses JSON', async () => {
    const server = await scriptedServer([json(200, { items: [] })]);
    try {
      const list = await client(server.url).json<{ items: unknown[] }>({ method: 'GET', path: '/api/v1/configmaps', query: { limit: 5, continue: undefined } });
      assert.deepEqual(list, { items: [] });
      assert.deepEqual(server.requests, ['GET /api/v1/configmaps?limit=5 Bearer t0ken']);
    } finally {
      await server.close();
    }
  });

  it('sends a body as UTF-8 with its length in bytes, the same on a retry; bytes as they are', async () => {
    const bodies: { length: string | undefined; type: string | undefined; text: string }[] = [];
    const capture =
      (then: Responder): Responder =>
      (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          bodies.push({ length: req.headers['content-length'], type: req.headers['content-type'], text: Buffer.concat(chunks).toString('utf8') });
          then(req, res);
        });
      };
    const server = await scriptedServer([capture(status(503, 'ServiceUnavailable')), capture(json(201, { ok: true }))]);
    try {
      const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'grüße' }, data: { text: '日本語 🦀'.repeat(300) } };
      assert.deepEqual(await client(server.url).json({ method: 'POST', path: '/api/v1/namespaces/n/configmaps', body: object }), { ok: true });
      const expected = JSON.stringify(object);
      assert.deepEqual(bodies, [1, 2].map(() => ({ length: String(Buffer.byteLength(expected)), type: 'application/json', text: expected })));
    } finally {
      await server.close();
    }
    // Bytes (an item prepared as the archive was read) are JSON already: sent as they are.
    bodies.length = 0;
    const again = await scriptedServer([capture(status(503, 'ServiceUnavailable')), capture(json(201, { ok: true }))]);
    try {
      const bytes = Buffer.from('{"kind":"ConfigMap","data":{"text":"日本語"}}');
      assert.deepEqual(await client(again.url).json({ method: 'POST', path: '/api/v1/namespaces/n/configmaps', body: bytes }), { ok: true });
      assert.deepEqual(bodies, [1, 2].map(() => ({ length: String(bytes.length), type: 'application/json', text: bytes.toString('utf8') })));
    } finally {
      await again.close();
    }
  });

  it('retries 429 (after Retry-After), 503 and connection resets, before and during the body', async () => {
    const notices: RetryNotice[] = [];
    const server = await scriptedServer([status(429, 'TooManyRequests'), status(503, 'ServiceUnavailable'), reset, resetMidBody, json(200, { ok: true })]);
    try {
      const kube = new HttpKubeClient(
        { server: server.url, headers: async () => ({}), tls: {} },
        { retry: { attempts: 5, baseDelayMs: 1, maxDelayMs: 5 }, onRetry: (n) => notices.push(n) },
      );
      assert.deepEqual(await kube.json({ method: 'GET', path: '/x' }), { ok: true });
      assert.equal(server.requests.length, 5);
      assert.deepEqual(notices.map((n) => n.reason.split(' ')[0]), ['429', '503', 'ECONNRESET', notices[3]!.reason.split(' ')[0]]);
    } finally {
      await server.close();
    }
  });

  it("waits at least as long as the server's Retry-After says", async () => {
    const notices: RetryNotice[] = [];
    const server = await scriptedServer([json(429, { kind: 'Status', reason: 'TooManyRequests', code: 429 }, { 'Retry-After': '1' }), json(200, {})]);
    try {
      await client(server.url, notices).json({ method: 'GET', path: '/x' });
      assert.ok(notices[0]!.delayMs >= 1000 && notices[0]!.delayMs <= 1500, String(notices[0]?.delayMs));
    } finally {
      await server.close();
    }
  });

  it('retries throttling for as long as the policy allows, past its count of attempts, with a clock of its own', async () => {
    const throttled = json(429, { kind: 'Status', reason: 'TooManyRequests', code: 429, message: 'too many requests' }, { 'Retry-After': '1' });
    const server = await scriptedServer([...Array.from({ length: 8 }, () => throttled), json(201, { ok: true })]);
    let clock = 0;
    const slept: number[] = [];
    const options = {
      retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000, throttledForMs: 20_000 },
      now: () => clock,
      sleep: async (ms: number) => {
        slept.push(ms);
        clock += ms;
      },
      random: () => 0.5,
    };
    try {
      const kube = new HttpKubeClient({ server: server.url, headers: async () => ({}), tls: {} }, options);
      const retried: number[] = [];
      assert.deepEqual(await kube.json({ method: 'POST', path: '/x', body: {}, onRetry: (n) => retried.push(n.attempt) }), { ok: true });
      assert.equal(server.requests.length, 9);
      assert.deepEqual(retried, [1, 2, 3, 4, 5, 6, 7, 8], 'the request is told of each retry');
      assert.deepEqual(slept, Array.from({ length: 8 }, () => 1250));
    } finally {
      await server.close();
    }
  });

  it('stops with "cannot authenticate" when the credentials cannot be had, sending nothing and asking once', async () => {
    let asked = 0;
    const kube = new HttpKubeClient(
      {
        server: 'https://127.0.0.1:1',
        headers: () => {
          asked++;
          return Promise.reject(new Error('error: SSO session expired, run aws sso login\nmore detail'));
        },
        tls: {},
      },
      { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 } },
    );
    await assert.rejects(kube.json({ method: 'GET', path: '/api' }), (err: Error & { unreachable?: boolean }) => {
      assert.equal(err.message, 'cannot authenticate to the API server https://127.0.0.1:1: error: SSO session expired, run aws sso login');
      assert.equal(err.unreachable, true, 'a restore stops instead of failing every item');
      return true;
    });
    assert.equal(asked, 1, 'not retried: the plugin is not run again and again');
  });

  it('gives up on throttling once its time is spent, saying how many attempts over how long and the last answer', async () => {
    const throttled = json(429, { kind: 'Status', reason: 'TooManyRequests', code: 429, message: 'too many requests' }, { 'Retry-After': '1' });
    const server = await scriptedServer(Array.from({ length: 20 }, () => throttled));
    let clock = 0;
    const kube = new HttpKubeClient(
      { server: server.url, headers: async () => ({}), tls: {} },
      { retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000, throttledForMs: 5000 }, now: () => clock, sleep: async (ms) => void (clock += ms), random: () => 0 },
    );
    try {
      await assert.rejects(kube.json({ method: 'GET', path: '/api/v1/pods' }), (err: unknown) => {
        assert.ok(err instanceof KubeApiError);
        assert.equal(err.code, 429);
        assert.equal(err.message, 'GET /api/v1/pods: 429 TooManyRequests: too many requests (gave up after 6 attempts over 5.0s)');
        return true;
      });
      assert.equal(server.requests.length, 6);
    } finally {
      await server.close();
    }
  });

  it('gives up after the last attempt with an error that says what failed', async () => {
    const server = await scriptedServer([status(503, 'ServiceUnavailable'), status(503, 'ServiceUnavailable'), status(503, 'ServiceUnavailable'), status(503, 'ServiceUnavailable')]);
    try {
      await assert.rejects(client(server.url).json({ method: 'GET', path: '/api/v1/pods' }), (err: unknown) => {
        assert.ok(err instanceof KubeApiError);
        assert.equal(err.code, 503);
        assert.match(err.message, /^GET \/api\/v1\/pods: 503 ServiceUnavailable: ServiceUnavailable happened \(gave up after 4 attempts over \d+\.\ds\)$/);
        return true;
      });
      assert.equal(server.requests.length, 4);
    } finally {
      await server.close();
    }
  });

  it('does not retry client errors, and reports the Status reason', async () => {
    const server = await scriptedServer([status(404, 'NotFound')]);
    try {
      await assert.rejects(client(server.url).json({ method: 'GET', path: '/api/v1/namespaces/x' }), (err: unknown) => isNotFound(err));
      assert.equal(server.requests.length, 1);
    } finally {
      await server.close();
    }
  });

  it('shows the first bytes of a 2xx body before the rest has come, until told it has seen enough', async () => {
    // Each part is written once the client was shown the one before: a head shown only once the body is whole would hang here.
    const shown: (() => void)[] = [];
    const seen = () => new Promise<void>((resolve) => shown.push(resolve));
    const server = await scriptedServer([
      status(503, 'ServiceUnavailable'),
      (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('{"kind":"ConfigMapList",');
        void seen()
          .then(() => res.write('"apiVersion":"v1",'))
          .then(seen)
          .then(() => res.end('"items":[]}'));
      },
    ]);
    try {
      const heads: string[] = [];
      const list = await client(server.url).json<{ kind: string }>({
        method: 'GET',
        path: '/api/v1/configmaps',
        onBodyHead: (head) => {
          heads.push(head.toString());
          shown.shift()?.();
          return head.includes('apiVersion');
        },
      });
      assert.deepEqual(list, { kind: 'ConfigMapList', apiVersion: 'v1', items: [] });
      // Not shown the 503's body; shown the head as it grew until it said enough, and not the last part.
      assert.deepEqual(heads, ['{"kind":"ConfigMapList",', '{"kind":"ConfigMapList","apiVersion":"v1",']);
    } finally {
      await server.close();
    }
  });

  it('does not call a failure of its own "cannot reach the API server" (only errors with a system code are)', async () => {
    const server = await scriptedServer([]);
    try {
      let deep: Record<string, unknown> = {};
      for (let i = 0; i < 20_000; i++) deep = { a: deep };
      await assert.rejects(client(server.url).json({ method: 'POST', path: '/api/v1/namespaces/ns1/configmaps', body: deep }), (err: unknown) => {
        assert.ok(err instanceof RangeError, String(err));
        assert.equal((err as { unreachable?: boolean }).unreachable, undefined);
        return true;
      });
    } finally {
      await server.close();
    }
  });

  it('names the server when it cannot be reached', async () => {
    const server = await scriptedServer([]);
    await server.close();
    await assert.rejects(client(server.url).json({ method: 'GET', path: '/version' }), /cannot reach the API server http:\/\/127\.0\.0\.1:\d+ \(GET \/version\): ECONNREFUSED/);
  });

  it('fails at once on a refused connection to a server it never reached, and retries one once the server has answered (a restart)', async () => {
    const notices: RetryNotice[] = [];
    const server = await scriptedServer([json(200, { gitVersion: 'v1.32.0' })]);
    const port = new URL(server.url).port;
    const kube = new HttpKubeClient(
      { server: server.url, headers: async () => ({}), tls: {} },
      { retry: { attempts: 6, baseDelayMs: 40, maxDelayMs: 100 }, onRetry: (n) => notices.push(n), random: () => 1 },
    );
    assert.deepEqual(await kube.json({ method: 'GET', path: '/version' }), { gitVersion: 'v1.32.0' });
    await server.close();
    // The API server comes back on its address while the client waits between attempts.
    const back = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"kind":"ConfigMap"}'));
    const restarted = new Promise<void>((resolve) => setTimeout(() => back.listen(Number(port), '127.0.0.1', resolve), 60));
    try {
      assert.deepEqual(await kube.json({ method: 'POST', path: '/api/v1/namespaces/a/configmaps', body: { kind: 'ConfigMap' } }), { kind: 'ConfigMap' });
      await restarted;
      // The kept-alive connection is reset first; the new ones are refused until the server is back.
      assert.ok(notices.some((n) => n.reason === 'ECONNREFUSED'), JSON.stringify(notices));
    } finally {
      back.closeAllConnections();
      await new Promise((resolve) => back.close(resolve));
    }

    const never = new HttpKubeClient({ server: server.url, headers: async () => ({}), tls: {} }, { retry: { attempts: 6, baseDelayMs: 40, maxDelayMs: 100 }, onRetry: (n) => notices.push(n) });
    const before = notices.length;
    await assert.rejects(never.json({ method: 'GET', path: '/version' }), /cannot reach the API server .*ECONNREFUSED/);
    assert.equal(notices.length, before, 'not retried: the server was never reached');
  });

  describe('timeouts', () => {
    const silent: Responder = () => undefined;
    const timing = (url: string, timeoutMs: number, notices: RetryNotice[] = []) =>
      new HttpKubeClient({ server: url, headers: async () => ({}), tls: {} }, { timeoutMs, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 }, onRetry: (n) => notices.push(n) });

    it('fails a request whose answer does not come within the timeout, after retrying it, saying so', async () => {
      const server = await scriptedServer([silent, silent]);
      const notices: RetryNotice[] = [];
      try {
        const started = Date.now();
        await assert.rejects(timing(server.url, 150, notices).json({ method: 'GET', path: '/api/v1/pods' }), (err: unknown) => {
          assert.equal((err as { code?: string }).code, 'ETIMEDOUT');
          assert.match((err as Error).message, /^cannot reach the API server http:\/\/127\.0\.0\.1:\d+ \(GET \/api\/v1\/pods\): ETIMEDOUT \(timed out after 150 ms\) \(gave up after 2 attempts over \d+\.\ds\)$/);
          return true;
        });
        assert.ok(Date.now() - started >= 2 * 150, 'each attempt waited for its timeout');
        assert.deepEqual(notices.map((n) => n.reason), ['ETIMEDOUT']);
        assert.equal(server.requests.length, 2);
      } finally {
        await server.close();
      }
    });

    it('times out the silence, not the whole request: a body that keeps coming is read to its end', async () => {
      const trickle: Responder = (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        const parts = ['{"items":[', '1,', '2,', '3,', '4', ']}'];
        const next = () => {
          const part = parts.shift();
          if (part === undefined) return void res.end();
          res.write(part);
          setTimeout(next, 60);
        };
        next();
      };
      const server = await scriptedServer([trickle]);
      try {
        assert.deepEqual(await timing(server.url, 150).json({ method: 'GET', path: '/api/v1/pods' }), { items: [1, 2, 3, 4] });
        assert.equal(server.requests.length, 1, 'not retried: 6 parts 60 ms apart take longer than the timeout, but no gap is as long');
      } finally {
        await server.close();
      }
    });

    it('does not time out a request with noTimeout', async () => {
      const late: Responder = (_req, res) => void setTimeout(() => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"late":true}'), 300);
      const server = await scriptedServer([late]);
      try {
        const stream = await timing(server.url, 100).stream({ method: 'GET', path: '/api/v1/pods', query: { watch: 1 }, noTimeout: true });
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        assert.equal(Buffer.concat(chunks).toString(), '{"late":true}');
        assert.equal(server.requests.length, 1);
      } finally {
        await server.close();
      }
    });

    it('closes a connection left idle for the timeout, and a later request opens a new one', async () => {
      const sockets = new Set<unknown>();
      const counting: Responder = (req, res) => {
        sockets.add(req.socket);
        json(200, { ok: true })(req, res);
      };
      const server = await scriptedServer([counting, counting, counting]);
      try {
        const kube = timing(server.url, 100);
        await kube.json({ method: 'GET', path: '/version' });
        await kube.json({ method: 'GET', path: '/version' });
        assert.equal(sockets.size, 1, 'kept alive between requests in quick succession');
        await new Promise((resolve) => setTimeout(resolve, 250));
        assert.deepEqual(await kube.json({ method: 'GET', path: '/version' }), { ok: true });
        assert.equal(sockets.size, 2);
        assert.equal(server.requests.length, 3, 'the closed connection cost no failed attempt');
      } finally {
        await server.close();
      }
    });
  });

  describe('compressed answers', () => {
    const list = { kind: 'ConfigMapList', apiVersion: 'v1', metadata: { continue: 'next' }, items: Array.from({ length: 200 }, (_, i) => ({ metadata: { name: `cm-${i}` }, data: { k: 'v'.repeat(100) } })) };
    const gzipped = (body: unknown): Responder => (req, res) => {
      acceptEncodings.push(req.headers['accept-encoding']);
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }).end(zlib.gzipSync(JSON.stringify(body)));
    };
    const gzippedCut: Responder = (req, res) => {
      const whole = zlib.gzipSync(JSON.stringify(list));
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', 'Content-Length': String(whole.length) });
      res.write(whole.subarray(0, whole.length >> 1));
      setTimeout(() => req.socket.destroy(), 5);
    };
    let acceptEncodings: (string | undefined)[] = [];
    beforeEach(() => (acceptEncodings = []));
    const compressing = (url: string, notices: RetryNotice[] = []) =>
      new HttpKubeClient({ server: url, headers: async () => ({}), tls: {} }, { compression: true, retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 }, onRetry: (n) => notices.push(n) });

    it('asks for gzip and reads what comes compressed, LIST pages item by item and the rest whole', async () => {
      const server = await scriptedServer([gzipped(list), gzipped({ kind: 'Status', code: 200 })]);
      try {
        const kube = compressing(server.url);
        const bytes: number[] = [];
        assert.deepEqual(await kube.json({ method: 'GET', path: '/api/v1/configmaps', list: true, onBodyBytes: (b) => bytes.push(b) }), list);
        assert.equal(bytes[0], Buffer.byteLength(JSON.stringify(list)), 'sizes are of the JSON, not of its compressed form');
        assert.deepEqual(await kube.json({ method: 'GET', path: '/version' }), { kind: 'Status', code: 200 });
        assert.deepEqual(acceptEncodings, ['gzip', 'gzip']);
      } finally {
        await server.close();
      }
    });

    it('retries a compressed answer cut short', async () => {
      const notices: RetryNotice[] = [];
      const server = await scriptedServer([gzippedCut, gzipped(list)]);
      try {
        assert.deepEqual(await compressing(server.url, notices).json({ method: 'GET', path: '/api/v1/configmaps', list: true }), list);
        assert.equal(notices.length, 1);
      } finally {
        await server.close();
      }
    });

    it('does not ask for gzip by default where the server is on this machine', async () => {
      const server = await scriptedServer([gzipped(list)]);
      try {
        await client(server.url).json({ method: 'GET', path: '/api/v1/configmaps' });
        assert.deepEqual(acceptEncodings, [undefined]);
      } finally {
        await server.close();
      }
      for (const host of ['localhost', '127.0.0.1', '127.8.9.1', '::1', 'api.localhost']) assert.equal(isLoopback(host), true, host);
      for (const host of ['10.0.0.1', 'kubernetes.default.svc', '128.0.0.1', 'localhost.example.com', '::2']) assert.equal(isLoopback(host), false, host);
    });
  });
});
