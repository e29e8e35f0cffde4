import { handoffAgentSource } from './endpoint-handoff.js';

/**
 * The physical limit a backup is compared with (quality.md): a paginated LIST over HTTP(S) with
 * each page's body parsed and dropped. Run as `node -e SCRIPT ENCODING PATH LIMIT [SELECTOR]` in
 * a process of its own, so that its time and memory are measured like the tools'; the endpoint
 * comes on stdin (endpoint-handoff.ts). Prints `{"items", "seconds"}`: the items listed and the
 * time from the first request to the last page parsed. ENCODING `gzip` asks for compressed
 * pages, as kubectl-backup does from a server not on this machine, so that both read the same
 * bytes; `identity` does not. Plain JavaScript on purpose: no compiler and no kubeconfig library
 * at start-up.
 */
export const plainListScript = `
const [encoding, path, limit, selector] = process.argv.slice(1);
${handoffAgentSource}
function run(endpoint) {
  const { transport, agent } = handoffAgent(endpoint, {});
  const base = endpoint.server.replace(/\\/$/, '') + path + '?';
  const headers = { ...endpoint.headers, accept: 'application/json', ...(encoding === 'gzip' ? { 'accept-encoding': 'gzip' } : {}) };
  const get = (query) => new Promise((resolve, reject) => {
    const req = transport.get(base + query, { agent, headers }, (res) => {
      const chunks = [];
      const body = res.headers['content-encoding'] === 'gzip' ? res.pipe(require('node:zlib').createGunzip()) : res;
      body.on('data', (c) => chunks.push(c));
      body.on('end', () => res.statusCode === 200 ? resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))) : reject(new Error('HTTP ' + res.statusCode)));
      body.on('error', reject);
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  return (async () => {
    const start = process.hrtime.bigint();
    let items = 0;
    let cont;
    do {
      const page = await get('limit=' + limit + (selector ? '&labelSelector=' + encodeURIComponent(selector) : '') + (cont ? '&continue=' + encodeURIComponent(cont) : ''));
      items += page.items.length;
      cont = page.metadata && page.metadata.continue;
    } while (cont);
    process.stdout.write(JSON.stringify({ items, seconds: Number(process.hrtime.bigint() - start) / 1e9 }));
  })();
}
run(JSON.parse(require('node:fs').readFileSync(0, 'utf8'))).catch((err) => { console.error(err.message); process.exit(1); });
`;
