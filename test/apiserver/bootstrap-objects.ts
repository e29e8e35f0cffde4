import type { Cluster } from './cluster.js';
import type { KubeObject } from './object-meta.js';

const NODE_NAME = 'test-node';

function node(gitVersion: string): KubeObject {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name: NODE_NAME,
      labels: {
        'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': NODE_NAME, 'kubernetes.io/os': 'linux', 'node-role.kubernetes.io/control-plane': '',
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] },
    status: {
      capacity: { cpu: '4', 'ephemeral-storage': '102400000Ki', memory: '16384000Ki', pods: '110' },
      allocatable: { cpu: '4', 'ephemeral-storage': '102400000Ki', memory: '16384000Ki', pods: '110' },
      conditions: [
        { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: now, lastTransitionTime: now, reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
        { type: 'DiskPressure', status: 'False', lastHeartbeatTime: now, lastTransitionTime: now, reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
        { type: 'PIDPressure', status: 'False', lastHeartbeatTime: now, lastTransitionTime: now, reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
        { type: 'Ready', status: 'True', lastHeartbeatTime: now, lastTransitionTime: now, reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ],
      addresses: [{ type: 'InternalIP', address: '172.18.0.2' }, { type: 'Hostname', address: NODE_NAME }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: 'b6f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5', systemUUID: 'b6f1c2d3-e4f5-a6b7-c8d9-e0f1a2b3c4d5', bootID: '2c1b6a3e-0000-4000-8000-000000000001',
        kernelVersion: '6.1.0', osImage: 'Debian GNU/Linux 12 (bookworm)', containerRuntimeVersion: 'containerd://1.7.24',
        kubeletVersion: gitVersion, kubeProxyVersion: gitVersion, operatingSystem: 'linux', architecture: 'amd64',
      },
    },
  };
}

/** The objects a freshly started cluster has: system namespaces, the kubernetes Service, a node, default RBAC. */
export function bootstrapObjects(gitVersion: string): { manager: string; object: KubeObject }[] {
  const apiserver = 'kube-apiserver';
  const objects: { manager: string; object: KubeObject }[] = [];
  const add = (manager: string, object: KubeObject): void => {
    objects.push({ manager, object });
  };
  for (const name of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) {
    add(apiserver, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  add(apiserver, {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], sessionAffinity: 'None', type: 'ClusterIP' },
  });
  add(apiserver, {
    apiVersion: 'v1', kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: '172.18.0.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
  });
  add(apiserver, {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['172.18.0.2'], conditions: { ready: true } }],
    ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
  });
  add('kubelet', node(gitVersion));
  add('kubelet', {
    apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
    metadata: { name: NODE_NAME, namespace: 'kube-node-lease' },
    spec: { holderIdentity: NODE_NAME, leaseDurationSeconds: 40, renewTime: new Date().toISOString().replace('Z', '000Z') },
  });
  add('kubelet', { apiVersion: 'storage.k8s.io/v1', kind: 'CSINode', metadata: { name: NODE_NAME }, spec: { drivers: null } });
  add(apiserver, {
    apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'system-cluster-critical' },
    value: 2000000000, globalDefault: false, preemptionPolicy: 'PreemptLowerPriority', description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  });
  add(apiserver, {
    apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'system-node-critical' },
    value: 2000001000, globalDefault: false, preemptionPolicy: 'PreemptLowerPriority', description: 'Used for system critical pods that must not be moved from their current node.',
  });
  add('kubectl-create', {
    apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass',
    metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'rancher.io/local-path', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer',
  });
  const bootstrapping = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
  const autoupdate = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };
  add(apiserver, {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole',
    metadata: { name: 'cluster-admin', labels: bootstrapping, annotations: autoupdate },
    rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }],
  });
  for (const [name, verbs] of [['admin', ['*']], ['edit', ['create', 'delete', 'deletecollection', 'patch', 'update']], ['view', ['get', 'list', 'watch']]] as const) {
    add(apiserver, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole',
      metadata: { name, labels: { ...bootstrapping, [`rbac.authorization.k8s.io/aggregate-to-${name === 'admin' ? 'admin' : name}`]: 'true' }, annotations: autoupdate },
      rules: [{ apiGroups: ['', 'apps', 'batch'], resources: ['*'], verbs: [...verbs] }],
    });
  }
  add(apiserver, {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding',
    metadata: { name: 'cluster-admin', labels: bootstrapping, annotations: autoupdate },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }],
  });
  return objects;
}

export function bootstrapCluster(cluster: Cluster, gitVersion: string): void {
  for (const { manager, object } of bootstrapObjects(gitVersion)) cluster.createInternal(object, manager);
  const cs = cluster.registry.get('', 'componentstatuses');
  if (cs) {
    for (const name of ['controller-manager', 'etcd-0', 'scheduler']) {
      cluster.putStatic(cs, {
        metadata: { name },
        conditions: [{ type: 'Healthy', status: 'True', message: name === 'etcd-0' ? '{"health":"true","reason":""}' : 'ok' }],
      });
    }
  }
}
