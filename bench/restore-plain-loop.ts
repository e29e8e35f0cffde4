/**
 * The physical limit a restore is compared with: the same objects POSTed by a plain loop with a
 * fixed number of requests in flight over keep-alive connections, bodies parsed and dropped.
 * Run as its own process: `tsx bench/restore-plain-loop.ts FILE CONCURRENCY`, with the endpoint on
 * stdin (endpoint-handoff.ts), where FILE holds one `{"path": ..., "body": ...}` a line; prints
 * `{"seconds", "cpuSeconds", "created", "maxRss"}` (time and CPU of the loop alone).
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { handoffTlsOptions, type EndpointHandoff } from './endpoint-handoff.js';

const [file, concurrencyText] = process.argv.slice(2);
const endpoint = JSON.parse(fs.readFileSync(0, 'utf8')) as EndpointHandoff;
const requests = fs
  .readFileSync(file!, 'utf8')
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => JSON.parse(l) as { path: string; body: unknown });
const base = new URL(endpoint.server);
const transport = base.protocol === 'https:' ? https : http;
const maxSockets = Number(concurrencyText);
const agent = base.protocol === 'https:' ? new https.Agent({ keepAlive: true, maxSockets, ...handoffTlsOptions(endpoint) }) : new http.Agent({ keepAlive: true, maxSockets });
const hostname = base.hostname.replace(/^\[(.*)\]$/, '$1');
const pathPrefix = base.pathname.replace(/\/$/, '');

function post(path: string, body: unknown): Promise<number> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = transport.request(
      { hostname, port: base.port, path: pathPrefix + path, method: 'POST', agent, headers: { ...endpoint.headers, 'Content-Type': 'application/json', 'Content-Length': payload.length } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          JSON.parse(Buffer.concat(chunks).toString('utf8'));
          resolve(res.statusCode ?? 0);
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const start = process.hrtime.bigint();
const startCpu = process.cpuUsage();
let created = 0;
// Namespaces first, then the rest with N in flight: the same order constraint a restore has.
const isNamespace = (r: { path: string }) => r.path === '/api/v1/namespaces';
for (const r of requests.filter(isNamespace)) if ((await post(r.path, r.body)) === 201) created++;
const rest = requests.filter((r) => !isNamespace(r));
let next = 0;
await Promise.all(
  Array.from({ length: Number(concurrencyText) }, async () => {
    while (next < rest.length) {
      const r = rest[next++]!;
      if ((await post(r.path, r.body)) === 201) created++;
    }
  }),
);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
agent.destroy();
const cpu = process.cpuUsage(startCpu);
console.log(JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, created, maxRss: process.resourceUsage().maxRSS * 1024 }));
