import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kubectl } from '../helpers/kubectl.js';
import { startTestApiServer, type TestApiServer } from '../apiserver/index.js';
import { decodeProtobufObject, PROTOBUF_CONTENT_TYPE } from '../apiserver/protobuf-decoder.js';

/**
 * kubectl's typed clients (`kubectl create <kind>`) send protobuf. A recording proxy in front of
 * the server keeps those bodies so each decoding can be compared with what the same command
 * prints with --dry-run=client -o json (the same Go struct, marshalled as JSON).
 */
describe('test apiserver: protobuf bodies from kubectl create', function () {
  this.timeout(60_000);
  let server: TestApiServer;
  let proxy: http.Server;
  let kubectl: Kubectl;
  const bodies: Buffer[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'protobuf-'));

  before(async () => {
    server = await startTestApiServer();
    const upstream = new URL(server.url);
    proxy = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        if (req.headers['content-type'] === PROTOBUF_CONTENT_TYPE) bodies.push(body);
        const forward = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        });
        forward.end(body);
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, server.kubeconfigYaml.replace(server.url, `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`));
    kubectl = new Kubectl(kubeconfig);
  });
  after(async () => {
    proxy.closeAllConnections();
    proxy.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cases: [string, string[], string[]][] = [
    ['namespace', ['create', 'namespace', 'pb'], []],
    ['configmap', ['create', 'configmap', 'cm', '--from-literal=a=b', '--from-literal=c=d'], []],
    ['secret', ['create', 'secret', 'generic', 's', '--from-literal=password=hunter2'], []],
    ['deployment', ['create', 'deployment', 'd', '--image=nginx:1.27', '--replicas=3', '--port=8080'], []],
    ['service', ['create', 'service', 'nodeport', 'svc', '--tcp=80:8080', '--node-port=30123'], []],
    ['cronjob', ['create', 'cronjob', 'cj', '--image=busybox', '--schedule=*/5 * * * *'], ['--', 'echo', 'hi']],
    ['rolebinding', ['create', 'rolebinding', 'rb', '--clusterrole=view', '--user=alice', '--serviceaccount=default:default'], []],
    ['priorityclass', ['create', 'priorityclass', 'pc', '--value=1000', '--description=high'], []],
    ['poddisruptionbudget', ['create', 'poddisruptionbudget', 'pdb', '--selector=app=x', '--min-available=50%'], []],
    ['ingress', ['create', 'ingress', 'ing', '--class=nginx', '--rule=foo.com/bar=svc:8080,tls=my-cert'], []],
  ];

  for (const [what, args, tail] of cases) {
    it(`decodes ${what} as kubectl encoded it, and stores it`, async () => {
      const expected: unknown = JSON.parse(await kubectl.ok([...args, '--dry-run=client', '-o', 'json', ...tail]));
      const before = bodies.length;
      await kubectl.ok([...args, ...tail]);
      assert.equal(bodies.length, before + 1, 'kubectl sent one protobuf body');
      assert.deepEqual(decodeProtobufObject(bodies[bodies.length - 1] as Buffer), expected);
    });
  }

  it('stores what kubectl create sent', async () => {
    const cm = JSON.parse(await kubectl.ok(['get', 'configmap', 'cm', '-o', 'json'])) as { data: Record<string, string> };
    assert.deepEqual(cm.data, { a: 'b', c: 'd' });
    assert.match(await kubectl.ok(['get', 'deploy', 'd']), /d\s+0\/3/);
    const token = await kubectl.ok(['create', 'token', 'default']);
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+\s*$/);
  });
});
