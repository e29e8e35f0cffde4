import assert from 'node:assert/strict';
import { serviceAction } from '../../src/restore/actions/service-action.js';
import type { KubeObject } from '../../src/kube/types.js';
import { actionContext } from '../builders/restore-action-context.js';

const service = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'a' }, spec });

describe('restore action: Service', () => {
  it('clears clusterIP/clusterIPs, nodePorts and healthCheckNodePort', () => {
    const item = service({ type: 'LoadBalancer', clusterIP: '10.0.0.5', clusterIPs: ['10.0.0.5'], healthCheckNodePort: 31000, ports: [{ port: 80, nodePort: 30080 }, { port: 443, nodePort: 30443 }] });
    serviceAction.apply(item, actionContext());
    assert.deepEqual(item.spec, { type: 'LoadBalancer', ports: [{ port: 80 }, { port: 443 }] });
  });

  it('keeps clusterIP None (headless services)', () => {
    const item = service({ clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 80 }] });
    serviceAction.apply(item, actionContext());
    assert.deepEqual(item.spec, { clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 80 }] });
  });

  it('keeps node ports with --preserve-nodeports', () => {
    const item = service({ type: 'NodePort', clusterIP: '10.0.0.5', healthCheckNodePort: 31000, ports: [{ port: 80, nodePort: 30080 }] });
    serviceAction.apply(item, actionContext({ preserveNodePorts: true }));
    assert.deepEqual(item.spec, { type: 'NodePort', healthCheckNodePort: 31000, ports: [{ port: 80, nodePort: 30080 }] });
  });
});
