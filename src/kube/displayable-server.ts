/**
 * The API server's URL as records, logs and messages show it: scheme, host, port and path, never
 * a user name, password, query or fragment. A kubeconfig may carry `https://user:password@host`;
 * the connection never sends that user information (credentials come from the kubeconfig's user),
 * so the form without it is all that anything needs.
 */
export function displayableServer(server: string): string {
  const url = URL.canParse(server) ? new URL(server) : undefined;
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:') {
    // Not a server URL (a hand-edited record): no telling where its user information ends.
    return server.includes('@') ? '<invalid server URL>' : server;
  }
  if (!url.username && !url.password && !url.search && !url.hash && !server.includes('@')) return server;
  return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
}
