/**
 * Protobuf layouts (from the Kubernetes generated.proto files) of the built-in kinds kubectl's
 * typed clients send as application/vnd.kubernetes.protobuf: the `kubectl create <kind>`
 * generators. One line per field: `NUMBER jsonName TYPE`, where TYPE is s (string), b (bool),
 * i32, i64, bytes, or a message name; `[]` marks repeated, `map<T>` a string-keyed map, and a
 * trailing `!` a field kept even when zero (a Go pointer, or JSON without omitempty; such a
 * list is null when absent).
 */
const LAYOUTS: Record<string, string> = {
  // k8s.io/apimachinery meta/v1, runtime, intstr, resource
  ObjectMeta: `1 name s; 2 generateName s; 3 namespace s; 4 selfLink s; 5 uid s; 6 resourceVersion s; 7 generation i64;
    8 creationTimestamp Time; 9 deletionTimestamp Time; 10 deletionGracePeriodSeconds i64!; 11 labels map<s>; 12 annotations map<s>;
    13 ownerReferences []OwnerReference; 14 finalizers []s; 17 managedFields []ManagedFieldsEntry`,
  OwnerReference: '1 kind s; 3 name s; 4 uid s; 5 apiVersion s; 6 controller b!; 7 blockOwnerDeletion b!',
  ManagedFieldsEntry: '1 manager s; 2 operation s; 3 apiVersion s; 4 time Time; 6 fieldsType s; 7 fieldsV1 FieldsV1; 8 subresource s',
  LabelSelector: '1 matchLabels map<s>; 2 matchExpressions []LabelSelectorRequirement',
  LabelSelectorRequirement: '1 key s; 2 operator s; 3 values []s',
  Condition: '1 type s; 2 status s; 3 observedGeneration i64; 4 lastTransitionTime Time; 5 reason s; 6 message s',
  Unknown: '1 typeMeta TypeMeta; 2 raw bytes; 3 contentEncoding s; 4 contentType s',
  TypeMeta: '1 apiVersion s; 2 kind s',

  // core/v1
  Namespace: '1 metadata ObjectMeta; 2 spec NamespaceSpec; 3 status NamespaceStatus',
  NamespaceSpec: '1 finalizers []s',
  NamespaceStatus: '1 phase s; 2 conditions []NamespaceCondition',
  NamespaceCondition: '1 type s; 2 status s; 4 lastTransitionTime Time; 5 reason s; 6 message s',
  ConfigMap: '1 metadata ObjectMeta; 2 data map<s>; 3 binaryData map<bytes>; 4 immutable b!',
  Secret: '1 metadata ObjectMeta; 2 data map<bytes>; 3 type s; 4 stringData map<s>; 5 immutable b!',
  ServiceAccount: '1 metadata ObjectMeta; 2 secrets []ObjectReference; 3 imagePullSecrets []LocalObjectReference; 4 automountServiceAccountToken b!',
  ObjectReference: '1 kind s; 2 namespace s; 3 name s; 4 uid s; 5 apiVersion s; 6 resourceVersion s; 7 fieldPath s',
  LocalObjectReference: '1 name s',
  Service: '1 metadata ObjectMeta; 2 spec ServiceSpec; 3 status ServiceStatus',
  ServiceSpec: `1 ports []ServicePort; 2 selector map<s>; 3 clusterIP s; 4 type s; 5 externalIPs []s; 7 sessionAffinity s;
    8 loadBalancerIP s; 9 loadBalancerSourceRanges []s; 10 externalName s; 11 externalTrafficPolicy s; 12 healthCheckNodePort i32;
    13 publishNotReadyAddresses b; 14 sessionAffinityConfig SessionAffinityConfig; 17 ipFamilyPolicy s!; 18 clusterIPs []s;
    19 ipFamilies []s; 20 allocateLoadBalancerNodePorts b!; 21 loadBalancerClass s!; 22 internalTrafficPolicy s!; 23 trafficDistribution s!`,
  SessionAffinityConfig: '1 clientIP ClientIPConfig',
  ClientIPConfig: '1 timeoutSeconds i32!',
  ServicePort: '1 name s; 2 protocol s; 3 port i32!; 4 targetPort IntOrString; 5 nodePort i32; 6 appProtocol s!',
  ServiceStatus: '1 loadBalancer LoadBalancerStatus; 2 conditions []Condition',
  LoadBalancerStatus: '1 ingress []LoadBalancerIngress',
  LoadBalancerIngress: '1 ip s; 2 hostname s; 3 ipMode s!; 4 ports []PortStatus',
  PortStatus: '1 port i32!; 2 protocol s; 3 error s!',
  PodTemplateSpec: '1 metadata ObjectMeta; 2 spec PodSpec',
  PodSpec: `1 volumes []Volume; 2 containers []Container; 3 restartPolicy s; 4 terminationGracePeriodSeconds i64!;
    5 activeDeadlineSeconds i64!; 6 dnsPolicy s; 7 nodeSelector map<s>; 8 serviceAccountName s; 9 serviceAccount s; 10 nodeName s;
    11 hostNetwork b; 12 hostPID b; 13 hostIPC b; 14 securityContext PodSecurityContext; 15 imagePullSecrets []LocalObjectReference;
    16 hostname s; 17 subdomain s; 19 schedulerName s; 20 initContainers []Container; 21 automountServiceAccountToken b!;
    22 tolerations []Toleration; 24 priorityClassName s; 25 priority i32!; 27 shareProcessNamespace b!; 29 runtimeClassName s!;
    30 enableServiceLinks b!; 31 preemptionPolicy s!; 35 setHostnameAsFQDN b!; 37 hostUsers b!`,
  PodSecurityContext: `1 seLinuxOptions SELinuxOptions; 2 runAsUser i64!; 3 runAsNonRoot b!; 4 supplementalGroups []i64; 5 fsGroup i64!;
    6 runAsGroup i64!; 7 sysctls []Sysctl; 9 fsGroupChangePolicy s!`,
  SELinuxOptions: '1 user s; 2 role s; 3 type s; 4 level s',
  Sysctl: '1 name s; 2 value s',
  Container: `1 name s; 2 image s; 3 command []s; 4 args []s; 5 workingDir s; 6 ports []ContainerPort; 7 env []EnvVar;
    8 resources ResourceRequirements; 9 volumeMounts []VolumeMount; 13 terminationMessagePath s; 14 imagePullPolicy s;
    15 securityContext SecurityContext; 16 stdin b; 17 stdinOnce b; 18 tty b; 19 envFrom []EnvFromSource; 20 terminationMessagePolicy s;
    24 restartPolicy s!`,
  ContainerPort: '1 name s; 2 hostPort i32; 3 containerPort i32!; 4 protocol s; 5 hostIP s',
  EnvVar: '1 name s; 2 value s; 3 valueFrom EnvVarSource',
  EnvVarSource: '1 fieldRef ObjectFieldSelector; 3 configMapKeyRef ConfigMapKeySelector; 4 secretKeyRef SecretKeySelector',
  ObjectFieldSelector: '1 apiVersion s; 2 fieldPath s',
  ConfigMapKeySelector: '1 localObjectReference LocalObjectReference inline; 2 key s; 3 optional b!',
  SecretKeySelector: '1 localObjectReference LocalObjectReference inline; 2 key s; 3 optional b!',
  EnvFromSource: '1 prefix s; 2 configMapRef ConfigMapEnvSource; 3 secretRef SecretEnvSource',
  ConfigMapEnvSource: '1 localObjectReference LocalObjectReference inline; 2 optional b!',
  SecretEnvSource: '1 localObjectReference LocalObjectReference inline; 2 optional b!',
  ResourceRequirements: '1 limits map<Quantity>; 2 requests map<Quantity>',
  VolumeMount: '1 name s; 2 readOnly b; 3 mountPath s; 4 subPath s; 5 mountPropagation s!; 6 subPathExpr s; 7 recursiveReadOnly s!',
  SecurityContext: '2 privileged b!; 4 runAsUser i64!; 5 runAsNonRoot b!; 6 readOnlyRootFilesystem b!; 7 allowPrivilegeEscalation b!; 8 runAsGroup i64!',
  Toleration: '1 key s; 2 operator s; 3 value s; 4 effect s; 5 tolerationSeconds i64!',
  Volume: '1 name s; 2 volumeSource VolumeSource inline',
  VolumeSource: '2 emptyDir EmptyDirVolumeSource; 6 secret SecretVolumeSource; 19 configMap ConfigMapVolumeSource',
  EmptyDirVolumeSource: '1 medium s; 2 sizeLimit Quantity',
  SecretVolumeSource: '1 secretName s; 2 items []KeyToPath; 3 defaultMode i32!; 4 optional b!',
  ConfigMapVolumeSource: '1 localObjectReference LocalObjectReference inline; 2 items []KeyToPath; 3 defaultMode i32!; 4 optional b!',
  KeyToPath: '1 key s; 2 path s; 3 mode i32!',
  ResourceQuota: '1 metadata ObjectMeta; 2 spec ResourceQuotaSpec; 3 status ResourceQuotaStatus',
  ResourceQuotaSpec: '1 hard map<Quantity>; 2 scopes []s; 3 scopeSelector ScopeSelector',
  ResourceQuotaStatus: '1 hard map<Quantity>; 2 used map<Quantity>',
  ScopeSelector: '1 matchExpressions []ScopedResourceSelectorRequirement',
  ScopedResourceSelectorRequirement: '1 scopeName s; 2 operator s; 3 values []s',

  // apps/v1
  Deployment: '1 metadata ObjectMeta; 2 spec DeploymentSpec; 3 status DeploymentStatus',
  DeploymentSpec: `1 replicas i32!; 2 selector LabelSelector; 3 template PodTemplateSpec; 4 strategy DeploymentStrategy;
    5 minReadySeconds i32; 6 revisionHistoryLimit i32!; 7 paused b; 9 progressDeadlineSeconds i32!`,
  DeploymentStrategy: '1 type s; 2 rollingUpdate RollingUpdateDeployment',
  RollingUpdateDeployment: '1 maxUnavailable IntOrString; 2 maxSurge IntOrString',
  DeploymentStatus: `1 observedGeneration i64; 2 replicas i32; 3 updatedReplicas i32; 4 availableReplicas i32; 5 unavailableReplicas i32;
    6 conditions []DeploymentCondition; 7 readyReplicas i32; 8 collisionCount i32!; 9 terminatingReplicas i32!`,
  DeploymentCondition: '1 type s; 2 status s; 4 reason s; 5 message s; 6 lastUpdateTime Time; 7 lastTransitionTime Time',

  // batch/v1
  Job: '1 metadata ObjectMeta; 2 spec JobSpec; 3 status JobStatus',
  JobSpec: `1 parallelism i32!; 2 completions i32!; 3 activeDeadlineSeconds i64!; 4 selector LabelSelector; 5 manualSelector b!;
    6 template PodTemplateSpec; 7 backoffLimit i32!; 8 ttlSecondsAfterFinished i32!; 9 completionMode s!; 10 suspend b!;
    12 backoffLimitPerIndex i32!; 13 maxFailedIndexes i32!; 14 podReplacementPolicy s!; 15 managedBy s!`,
  JobStatus: `1 conditions []JobCondition; 2 startTime Time; 3 completionTime Time; 4 active i32; 5 succeeded i32; 6 failed i32;
    7 completedIndexes s; 9 ready i32!; 10 failedIndexes s!; 11 terminating i32!`,
  JobCondition: '1 type s; 2 status s; 3 lastProbeTime Time; 4 lastTransitionTime Time; 5 reason s; 6 message s',
  CronJob: '1 metadata ObjectMeta; 2 spec CronJobSpec; 3 status CronJobStatus',
  CronJobSpec: `1 schedule s; 2 startingDeadlineSeconds i64!; 3 concurrencyPolicy s; 4 suspend b!; 5 jobTemplate JobTemplateSpec;
    6 successfulJobsHistoryLimit i32!; 7 failedJobsHistoryLimit i32!; 8 timeZone s!`,
  JobTemplateSpec: '1 metadata ObjectMeta; 2 spec JobSpec',
  CronJobStatus: '1 active []ObjectReference; 4 lastScheduleTime Time; 5 lastSuccessfulTime Time',

  // rbac.authorization.k8s.io/v1
  Role: '1 metadata ObjectMeta; 2 rules []PolicyRule!',
  ClusterRole: '1 metadata ObjectMeta; 2 rules []PolicyRule!; 3 aggregationRule AggregationRule',
  PolicyRule: '1 verbs []s; 2 apiGroups []s; 3 resources []s; 4 resourceNames []s; 5 nonResourceURLs []s',
  AggregationRule: '1 clusterRoleSelectors []LabelSelector',
  RoleBinding: '1 metadata ObjectMeta; 2 subjects []Subject; 3 roleRef RoleRef',
  ClusterRoleBinding: '1 metadata ObjectMeta; 2 subjects []Subject; 3 roleRef RoleRef',
  Subject: '1 kind s; 2 apiGroup s; 3 name s; 4 namespace s',
  RoleRef: '1 apiGroup s!; 2 kind s!; 3 name s!',

  // scheduling.k8s.io/v1, policy/v1
  PriorityClass: '1 metadata ObjectMeta; 2 value i32!; 3 globalDefault b; 4 description s; 5 preemptionPolicy s!',
  PodDisruptionBudget: '1 metadata ObjectMeta; 2 spec PodDisruptionBudgetSpec; 3 status PodDisruptionBudgetStatus',
  PodDisruptionBudgetSpec: '1 minAvailable IntOrString; 2 selector LabelSelector; 3 maxUnavailable IntOrString; 4 unhealthyPodEvictionPolicy s!',
  PodDisruptionBudgetStatus: `1 observedGeneration i64; 2 disruptedPods map<Time>; 3 disruptionsAllowed i32!; 4 currentHealthy i32!;
    5 desiredHealthy i32!; 6 expectedPods i32!; 7 conditions []Condition`,

  // authorization.k8s.io/v1, authentication.k8s.io/v1 (kubectl auth can-i / whoami)
  SelfSubjectAccessReview: '1 metadata ObjectMeta; 2 spec SelfSubjectAccessReviewSpec; 3 status SubjectAccessReviewStatus',
  SelfSubjectAccessReviewSpec: '1 resourceAttributes ResourceAttributes; 2 nonResourceAttributes NonResourceAttributes',
  SubjectAccessReview: '1 metadata ObjectMeta; 2 spec SubjectAccessReviewSpec; 3 status SubjectAccessReviewStatus',
  SubjectAccessReviewSpec: '1 resourceAttributes ResourceAttributes; 2 nonResourceAttributes NonResourceAttributes; 3 user s; 4 groups []s; 6 uid s',
  ResourceAttributes: '1 namespace s; 2 verb s; 3 group s; 4 version s; 5 resource s; 6 subresource s; 7 name s',
  NonResourceAttributes: '1 path s; 2 verb s',
  SubjectAccessReviewStatus: '1 allowed b!; 2 reason s; 3 evaluationError s; 4 denied b',
  SelfSubjectRulesReview: '1 metadata ObjectMeta; 2 spec SelfSubjectRulesReviewSpec; 3 status SubjectRulesReviewStatus',
  SelfSubjectRulesReviewSpec: '1 namespace s',
  SubjectRulesReviewStatus: '1 resourceRules []ResourceRule!; 2 nonResourceRules []NonResourceRule!; 3 incomplete b!; 4 evaluationError s',
  ResourceRule: '1 verbs []s; 2 apiGroups []s; 3 resources []s; 4 resourceNames []s',
  NonResourceRule: '1 verbs []s; 2 nonResourceURLs []s',
  SelfSubjectReview: '1 metadata ObjectMeta; 2 status SelfSubjectReviewStatus',
  SelfSubjectReviewStatus: '1 userInfo UserInfo',
  UserInfo: '1 username s; 2 uid s; 3 groups []s',
  TokenReview: '1 metadata ObjectMeta; 2 spec TokenReviewSpec; 3 status TokenReviewStatus',
  TokenReviewSpec: '1 token s; 2 audiences []s',
  TokenReviewStatus: '1 authenticated b; 2 user UserInfo; 3 error s; 4 audiences []s',

  // networking.k8s.io/v1
  Ingress: '1 metadata ObjectMeta; 2 spec IngressSpec; 3 status IngressStatus',
  IngressSpec: '1 defaultBackend IngressBackend; 2 tls []IngressTLS; 3 rules []IngressRule; 4 ingressClassName s!',
  IngressBackend: '3 resource TypedLocalObjectReference; 4 service IngressServiceBackend',
  TypedLocalObjectReference: '1 apiGroup s!; 2 kind s; 3 name s',
  IngressServiceBackend: '1 name s; 2 port ServiceBackendPort',
  ServiceBackendPort: '1 name s; 2 number i32',
  IngressTLS: '1 hosts []s; 2 secretName s',
  IngressRule: '1 host s; 2 ingressRuleValue IngressRuleValue inline',
  IngressRuleValue: '1 http HTTPIngressRuleValue',
  HTTPIngressRuleValue: '1 paths []HTTPIngressPath',
  HTTPIngressPath: '1 path s; 2 backend IngressBackend; 3 pathType s!',
  IngressStatus: '1 loadBalancer IngressLoadBalancerStatus',
  IngressLoadBalancerStatus: '1 ingress []IngressLoadBalancerIngress',
  IngressLoadBalancerIngress: '1 ip s; 2 hostname s; 4 ports []IngressPortStatus',
  IngressPortStatus: '1 port i32!; 2 protocol s; 3 error s!',
};

/** Top-level kinds by apiVersion/kind. */
export const PROTOBUF_KINDS: Record<string, string> = {
  'v1/Namespace': 'Namespace',
  'v1/ConfigMap': 'ConfigMap',
  'v1/Secret': 'Secret',
  'v1/ServiceAccount': 'ServiceAccount',
  'v1/Service': 'Service',
  'v1/ResourceQuota': 'ResourceQuota',
  'apps/v1/Deployment': 'Deployment',
  'batch/v1/Job': 'Job',
  'batch/v1/CronJob': 'CronJob',
  'rbac.authorization.k8s.io/v1/Role': 'Role',
  'rbac.authorization.k8s.io/v1/ClusterRole': 'ClusterRole',
  'rbac.authorization.k8s.io/v1/RoleBinding': 'RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': 'ClusterRoleBinding',
  'scheduling.k8s.io/v1/PriorityClass': 'PriorityClass',
  'policy/v1/PodDisruptionBudget': 'PodDisruptionBudget',
  'networking.k8s.io/v1/Ingress': 'Ingress',
  'authorization.k8s.io/v1/SelfSubjectAccessReview': 'SelfSubjectAccessReview',
  'authorization.k8s.io/v1/SubjectAccessReview': 'SubjectAccessReview',
  'authorization.k8s.io/v1/LocalSubjectAccessReview': 'SubjectAccessReview',
  'authorization.k8s.io/v1/SelfSubjectRulesReview': 'SelfSubjectRulesReview',
  'authentication.k8s.io/v1/SelfSubjectReview': 'SelfSubjectReview',
  'authentication.k8s.io/v1/TokenReview': 'TokenReview',
};

export type ScalarType = 's' | 'b' | 'i32' | 'i64' | 'bytes';

export interface FieldLayout {
  json: string;
  /** A scalar code or a message name. */
  type: string;
  repeated: boolean;
  /** Value type of a map<string, T>; `type` is then unused. */
  mapValue?: string;
  keepZero: boolean;
  /** Go-embedded struct whose fields appear at the parent's level in JSON. */
  inline: boolean;
}

function parseLayout(text: string): Map<number, FieldLayout> {
  const out = new Map<number, FieldLayout>();
  for (const raw of text.split(';')) {
    const parts = raw.trim().split(/\s+/);
    if (parts.length < 3) continue;
    const [num, json, typeSpec, flag] = parts as [string, string, string, string | undefined];
    let type = typeSpec;
    const keepZero = type.endsWith('!');
    if (keepZero) type = type.slice(0, -1);
    const repeated = type.startsWith('[]');
    if (repeated) type = type.slice(2);
    const map = /^map<(.+)>$/.exec(type);
    out.set(Number(num), {
      json,
      type: map ? 'map' : type,
      repeated,
      mapValue: map ? map[1] : undefined,
      keepZero,
      inline: flag === 'inline',
    });
  }
  return out;
}

export const MESSAGE_LAYOUTS: Record<string, Map<number, FieldLayout>> = Object.fromEntries(
  Object.entries(LAYOUTS).map(([name, text]) => [name, parseLayout(text)]),
);
