/**
 * The physical limit a backup is compared with (quality.md): a paginated LIST over HTTP with
 * each page's body parsed and dropped. Run as `node -e` in a process of its own, so that its
 * time and memory are measured like the tools'. Plain JavaScript on purpose: no compiler at
 * start-up.
 */
export const plainListScript = `
const [url, token, path, limit] = process.argv.slice(1);
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true });
function get(query) {
  return new Promise((resolve, reject) => {
    const req = http.get(url + path + '?' + query, { agent, headers: { authorization: 'Bearer ' + token, accept: 'application/json' } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => res.statusCode === 200 ? resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))) : reject(new Error('HTTP ' + res.statusCode)));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}
(async () => {
  let items = 0;
  let cont;
  do {
    const page = await get('limit=' + limit + (cont ? '&continue=' + encodeURIComponent(cont) : ''));
    items += page.items.length;
    cont = page.metadata && page.metadata.continue;
  } while (cont);
  process.stdout.write(String(items));
})().catch((err) => { console.error(err.message); process.exit(1); });
`;
