import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

// The build answers some imports with stubs that load the library when it is used
// (scripts/build.ts, deferredModules): each must behave as the library for what its importers use.
const load = createRequire(import.meta.url);
const stub = <T>(name: string): T => load(`../../scripts/stubs/${name}`) as T;

describe('build: libraries loaded when used', () => {
  it('EJS: a text without a tag renders as itself, one with a tag through EJS', () => {
    const ejs = stub<{ render(t: string, data: object): string }>('deferred-ejs.cjs');
    const plain = 'Back up <resources> and 100% of them\n  indented';
    assert.equal(ejs.render(plain, {}), plain);
    assert.equal(ejs.render('$ <%= config.bin %> create', { config: { bin: 'kubectl backup' } }), '$ kubectl backup create');
  });

  it('debug: without DEBUG, loggers are silent and say so', () => {
    const saved = process.env.DEBUG;
    delete process.env.DEBUG;
    try {
      const id = load.resolve('../../scripts/stubs/deferred-debug.cjs');
      delete load.cache[id];
      const debug = stub<(ns: string) => ((...args: unknown[]) => void) & { enabled: boolean; namespace: string; extend(n: string): { namespace: string } }>('deferred-debug.cjs');
      const log = debug('oclif');
      assert.equal(log.enabled, false);
      assert.equal(log('nothing printed'), undefined);
      assert.equal(log.extend('config').namespace, 'oclif:config');
    } finally {
      if (saved !== undefined) process.env.DEBUG = saved;
    }
  });

  it('tinyglobby, yaml, the SOCKS agent and client, minimatch, the spinners: the real library, on first use', async () => {
    const glob = stub<{ glob(p: string[], o: object): Promise<string[]> }>('deferred-tinyglobby.cjs');
    assert.deepEqual(await glob.glob(['deferred-yaml.cjs'], { cwd: new URL('../../scripts/stubs', import.meta.url).pathname }), ['deferred-yaml.cjs']);
    const yaml = stub<{ stringify(v: unknown): string }>('deferred-yaml.cjs');
    assert.equal(yaml.stringify({ a: [1] }), 'a:\n  - 1\n');
    const socks = stub<{ SocksProxyAgent: new (uri: string) => { proxy: { host: string; port: number } } }>('deferred-socks-proxy-agent.cjs');
    const agent = new socks.SocksProxyAgent('socks5://127.0.0.1:1080');
    assert.deepEqual([agent.proxy.host, agent.proxy.port], ['127.0.0.1', 1080]);
    assert.equal(agent.constructor.name, 'SocksProxyAgent');
    const client = stub<{ SocksClient: { createConnection(o: object): Promise<unknown> } }>('deferred-socks.cjs');
    // The real client checks its options first: what it says shows the call reached it.
    await assert.rejects(client.SocksClient.createConnection({ command: 'connect' }), /invalid destination host/);
    const minimatch = stub<{ minimatch(p: string, pattern: string): boolean }>('deferred-minimatch.cjs');
    assert.equal(minimatch.minimatch('@oclif/plugin-help', '@oclif/plugin-*'), true);
    const spinners = stub<{ __esModule?: unknown; dots2: { frames: string[] } }>('deferred-cli-spinners.cjs');
    assert.equal(spinners.__esModule, undefined);
    assert.ok(spinners.dots2.frames.length > 1);
  });

  it("openid-client and jsonpath-plus (client-node's OIDC, Azure and GCP auth): what client-node calls reaches the real library", async () => {
    const real = load('openid-client') as { customFetch: symbol };
    const oidc = stub<{ customFetch: symbol; discovery(server: unknown, clientId: string): Promise<unknown>; refreshTokenGrant(config: unknown, token: string): Promise<unknown> }>('deferred-openid-client.cjs');
    // A symbol that keys client-node's fetch option: the stub must hand over the library's own.
    assert.equal(oidc.customFetch, real.customFetch);
    assert.equal(typeof oidc.customFetch, 'symbol');
    // The library checks its arguments before any request: what it says shows the call reached it.
    await assert.rejects(oidc.discovery('not a URL', 'client'), /"server" must be an instance of URL/);
    await assert.rejects(oidc.refreshTokenGrant({}, 'token'), /"config" must be an instance of Configuration/);
    const jsonpath = stub<{ JSONPath(options: { path: string; json: unknown; wrap?: boolean }): unknown }>('deferred-jsonpath-plus.cjs');
    assert.equal(jsonpath.JSONPath({ path: '$.credential.access_token', json: { credential: { access_token: 't' } }, wrap: false }), 't');
    assert.deepEqual(jsonpath.JSONPath({ path: '$.a[*]', json: { a: [1, 2] } }), [1, 2]);
  });
});
