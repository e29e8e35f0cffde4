import type { ActionContext } from '../../src/restore/actions/restore-action.js';

/** An action context with no mappings, no token Secrets and every volume restored, overridable per test. */
export function actionContext(overrides: Partial<ActionContext> & { mappings?: Record<string, string>; tokenSecrets?: string[] } = {}): ActionContext {
  const { mappings = {}, tokenSecrets = [], ...rest } = overrides;
  return {
    mapNamespace: (ns) => mappings[ns] ?? ns,
    preserveNodePorts: false,
    isTokenSecret: (ns, name) => tokenSecrets.includes(`${ns}/${name}`),
    provisionsVolumeAnew: () => false,
    ...rest,
  };
}
