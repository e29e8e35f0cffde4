import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { ok, startE2e, type E2e } from '../helpers/plugin.js';

interface KubeconfigUsers {
  users: { user: Record<string, string> }[];
}

describe('e2e: a kubeconfig user with a client certificate, as kubeadm and kind give their admin', () => {
  let e2e: E2e;
  before(async () => {
    e2e = await startE2e({ api: { tls: true, requireAuth: true, clientCertAuth: true } });
  });
  after(async () => {
    await e2e?.close();
  });

  it('kubectl and kubectl backup authenticate with the certificate alone', async () => {
    const user = (YAML.parse(e2e.api.kubeconfigYaml) as KubeconfigUsers).users[0]!.user;
    assert.deepEqual(Object.keys(user).sort(), ['client-certificate-data', 'client-key-data'], 'no token to fall back on');
    await e2e.kubectl.ok(['create', 'namespace', 'certs']);
    await e2e.kubectl.ok(['create', 'configmap', 'settings', '-n', 'certs', '--from-literal=mode=tls']);

    const version = await ok(e2e.backup('version'));
    assert.match(version.stdout, /Server Version: v\d+/);
    const storage = e2e.directory('store');
    const created = await ok(e2e.backup('create', 'with-cert', '--include-namespaces', 'certs', '--storage', storage.url, '-o', 'json'));
    const record = JSON.parse(created.stdout) as { status: { phase: string; progress: { itemsBackedUp: number } } };
    assert.equal(record.status.phase, 'Completed');
    assert.ok(record.status.progress.itemsBackedUp >= 2, 'the namespace and its ConfigMap');
    assert.deepEqual(e2e.api.requestLog.list().filter((entry) => entry.status === 401), [], 'no request was refused');
  });

  it('refuses a certificate the cluster CA did not sign: 401, named in the error, nothing written', async () => {
    const dir = fs.mkdtempSync(path.join(e2e.home, 'stranger-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '1', '-subj', '/CN=stranger'], { cwd: dir, stdio: 'ignore' });
    const config = YAML.parse(e2e.api.kubeconfigYaml) as KubeconfigUsers;
    const b64 = (file: string) => fs.readFileSync(path.join(dir, file)).toString('base64');
    config.users[0]!.user = { 'client-certificate-data': b64('cert.pem'), 'client-key-data': b64('key.pem') };
    const kubeconfig = path.join(dir, 'kubeconfig');
    fs.writeFileSync(kubeconfig, YAML.stringify(config), { mode: 0o600 });

    const storage = e2e.directory('stranger-store');
    const refused = await e2e.run(['create', 'stranger', '--storage', storage.url], { kubeconfig });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /Error: cannot read the API discovery of https:\/\/\S+: GET \/api: 401 Unauthorized: Unauthorized \(the API server does not accept the credentials of the kubeconfig's user: its token, client certificate or exec plugin\)/);
    assert.equal(fs.existsSync(path.join(storage.dir, 'backups', 'stranger')), false, 'no backup was written');
  });
});
