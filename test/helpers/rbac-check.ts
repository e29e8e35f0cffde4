/**
 * Whether RBAC rules allow a request, the way the API server's authorizer decides it for the
 * simple rules install writes (no resourceNames, no aggregation). The test API server does not
 * authorize; tests use this to prove that what a command did is within the runner's rules.
 */
export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

export interface Request {
  method: string;
  path: string;
  query: string;
}

interface Attributes {
  verb: string;
  group?: string;
  resource?: string;
  namespace?: string;
  nonResourcePath?: string;
}

export function requestAttributes(req: Request): Attributes {
  const parts = req.path.split('/').filter(Boolean);
  let rest: string[];
  let group: string;
  if (parts[0] === 'api' && parts.length >= 2) {
    group = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1]!;
    rest = parts.slice(3);
  } else {
    return { verb: req.method.toLowerCase(), nonResourcePath: req.path };
  }
  if (rest.length === 0) return { verb: req.method.toLowerCase(), nonResourcePath: req.path };
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, sub] = rest;
  const watch = new URLSearchParams(req.query).get('watch') === 'true';
  const verb =
    req.method === 'GET' ? (watch ? 'watch' : name === undefined ? 'list' : 'get') : ({ POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: name === undefined ? 'deletecollection' : 'delete' } as Record<string, string>)[req.method] ?? req.method.toLowerCase();
  return { verb, group, resource: sub ? `${resource}/${sub}` : resource, ...(namespace !== undefined ? { namespace } : {}) };
}

function matches(rule: PolicyRule, a: Attributes): boolean {
  if (!rule.verbs.includes('*') && !rule.verbs.includes(a.verb)) return false;
  if (a.nonResourcePath !== undefined) {
    return (rule.nonResourceURLs ?? []).some((u) => u === '*' || u === a.nonResourcePath || (u.endsWith('*') && a.nonResourcePath!.startsWith(u.slice(0, -1))));
  }
  const groups = rule.apiGroups ?? [];
  const resources = rule.resources ?? [];
  return (groups.includes('*') || groups.includes(a.group ?? '')) && (resources.includes('*') || resources.includes(a.resource ?? ''));
}

/** Allowed by a ClusterRole (anywhere) or by a Role of `namespace` (only there). */
export function allowed(req: Request, clusterRules: PolicyRule[], namespaceRules: PolicyRule[], namespace: string): boolean {
  const a = requestAttributes(req);
  if (clusterRules.some((r) => matches(r, a))) return true;
  return a.namespace === namespace && namespaceRules.some((r) => matches(r, a));
}
