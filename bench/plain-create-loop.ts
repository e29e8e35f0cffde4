import { handoffAgentSource } from './endpoint-handoff.js';

/**
 * The physical limit a restore is compared with (quality.md): the same objects POSTed by a plain
 * loop with a fixed number of requests in flight over keep-alive connections, response bodies
 * parsed and dropped. Run as `node -e SCRIPT FILE CONCURRENCY` in a process of its own, like the
 * plain LIST (plain-list.ts): plain JavaScript, no compiler and no kubeconfig library at
 * start-up, so that the process measured from its start is Node, the objects read from a local
 * file, and the requests. FILE holds one `{"path": ..., "body": ...}` a line; the endpoint comes
 * on stdin (endpoint-handoff.ts). Prints `{"seconds", "created"}`: the time of the loop alone,
 * from its first create to its last answer.
 */
export const plainCreateLoopScript = `
const [file, concurrencyText] = process.argv.slice(1);
const fs = require('node:fs');
${handoffAgentSource}
const endpoint = JSON.parse(fs.readFileSync(0, 'utf8'));
const maxSockets = Number(concurrencyText);
const { transport, agent } = handoffAgent(endpoint, { maxSockets });
const base = new URL(endpoint.server);
const hostname = base.hostname.replace(/^\\[(.*)\\]$/, '$1');
const pathPrefix = base.pathname.replace(/\\/$/, '');
const requests = fs.readFileSync(file, 'utf8').split('\\n').filter((l) => l !== '').map((l) => JSON.parse(l));

function post(path, body) {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = transport.request(
      { hostname, port: base.port, path: pathPrefix + path, method: 'POST', agent, headers: { ...endpoint.headers, 'Content-Type': 'application/json', 'Content-Length': payload.length } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          JSON.parse(Buffer.concat(chunks).toString('utf8'));
          resolve(res.statusCode);
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

(async () => {
  const start = process.hrtime.bigint();
  let created = 0;
  // Namespaces first, then the rest with N in flight: the same order constraint a restore has.
  const isNamespace = (r) => r.path === '/api/v1/namespaces';
  for (const r of requests.filter(isNamespace)) if ((await post(r.path, r.body)) === 201) created++;
  const rest = requests.filter((r) => !isNamespace(r));
  let next = 0;
  await Promise.all(
    Array.from({ length: maxSockets }, async () => {
      while (next < rest.length) {
        const r = rest[next++];
        if ((await post(r.path, r.body)) === 201) created++;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  agent.destroy();
  process.stdout.write(JSON.stringify({ seconds, created }));
})().catch((err) => { console.error(err.message); process.exit(1); });
`;
