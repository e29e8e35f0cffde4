import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { startTestApiServer, type TestApiServer } from '../apiserver/index.js';
import { startE2e, type E2e } from '../helpers/plugin.js';

describe('e2e: kubectl backup version against the API test server', () => {
  /** Its API server is the plain one: no TLS, no authentication. */
  let e2e: E2e;
  let secure: TestApiServer;
  before(async () => {
    [e2e, secure] = await Promise.all([startE2e({ api: { gitVersion: 'v1.32.7' } }), startTestApiServer({ tls: true, requireAuth: true, gitVersion: 'v1.31.2' })]);
  });
  after(async () => {
    await Promise.all([e2e?.close(), secure?.close()]);
  });

  it('prints the client and the server version as JSON', async () => {
    const result = await e2e.backup('version', '-o', 'json');
    assert.equal(result.code, 0, result.stderr);
    const versions = JSON.parse(result.stdout);
    assert.match(versions.clientVersion.gitVersion, /^v\d+\.\d+\.\d+/);
    assert.equal(versions.serverVersion.gitVersion, 'v1.32.7');
    assert.ok(e2e.api.requestLog.list().some((e) => e.path === '/version'));
  });

  it('verifies TLS against the kubeconfig CA and authenticates with its token', async () => {
    const result = await e2e.run(['version'], { kubeconfig: secure.kubeconfigPath });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Client Version: v\d+/);
    assert.match(result.stdout, /Server Version: v1\.31\.2/);
  });

  it('refuses a server whose certificate the kubeconfig does not trust, unless the kubeconfig itself says to skip verification', async () => {
    const dir = fs.mkdtempSync(path.join(e2e.home, 'kb-tls-'));
    const withCluster = (change: (cluster: Record<string, unknown>) => void): string => {
      const config = YAML.parse(secure.kubeconfigYaml) as { clusters: { cluster: Record<string, unknown> }[] };
      for (const entry of config.clusters) change(entry.cluster);
      const file = path.join(dir, `kubeconfig-${fs.readdirSync(dir).length}`);
      fs.writeFileSync(file, YAML.stringify(config));
      return file;
    };
    const untrusted = withCluster((cluster) => delete cluster['certificate-authority-data']);
    secure.requestLog.clear();
    const refused = await e2e.run(['version', '--log-format', 'text'], { kubeconfig: untrusted });
    assert.match(refused.stdout, /^Client Version: v\d+/);
    assert.doesNotMatch(refused.stdout, /Server Version/, 'no answer is taken from an unverified server');
    assert.match(refused.stderr, /cannot reach the API server https:\/\/\S+ \(GET \/version\): its TLS certificate is not trusted by the kubeconfig \(UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
    assert.equal(secure.requestLog.list().filter((e) => e.path === '/version' && e.status === 200).length, 0);

    const skipped = withCluster((cluster) => {
      delete cluster['certificate-authority-data'];
      cluster['insecure-skip-tls-verify'] = true;
    });
    const allowed = await e2e.run(['version'], { kubeconfig: skipped });
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(allowed.stdout, /Server Version: v1\.31\.2/);
  });

  it('takes --kubeconfig and --context like kubectl', async () => {
    const result = await e2e.run(['version', '-o', 'yaml', '--kubeconfig', e2e.api.kubeconfigPath], { kubeconfig: '/nonexistent' });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /serverVersion:\n\s+major/);
    const bad = await e2e.backup('version', '--context', 'nope');
    assert.match(bad.stderr, /--context nope: no such context in the kubeconfig/);
    assert.doesNotMatch(bad.stdout, /Server Version/);
  });

  it('still prints the client version when the server is unreachable, and says why', async () => {
    const down = await startTestApiServer();
    const kubeconfig = path.join(e2e.home, 'kubeconfig-down');
    fs.writeFileSync(kubeconfig, down.kubeconfigYaml);
    await down.close();
    const result = await e2e.run(['version', '--log-format', 'text'], { kubeconfig });
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^Client Version: v\d+/);
    assert.match(result.stderr, /cannot reach the API server/);
    assert.doesNotMatch(result.stderr, new RegExp(secure.token));
  });
});
