import { fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, type FieldError } from './api-error.js';
import { isObject, type JsonObject } from './json.js';
import type { KubeObject } from './object-meta.js';
import type { ServiceAllocator } from './service-allocator.js';
import type { KindHooks } from './write-context.js';

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

function specOf(obj: KubeObject): JsonObject {
  if (!isObject(obj.spec)) obj.spec = {};
  return obj.spec as JsonObject;
}

function portsOf(spec: JsonObject): JsonObject[] {
  return Array.isArray(spec.ports) ? spec.ports.filter(isObject) : [];
}

function usesNodePorts(type: unknown): boolean {
  return type === 'NodePort' || type === 'LoadBalancer';
}

function applyDefaults(spec: JsonObject): void {
  spec.type ??= 'ClusterIP';
  if (spec.type === 'ExternalName') return;
  spec.sessionAffinity ??= 'None';
  for (const port of portsOf(spec)) {
    port.protocol ??= 'TCP';
    port.targetPort ??= port.port ?? null;
  }
  if (spec.clusterIP !== 'None' || spec.selector !== undefined) {
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
  }
  spec.internalTrafficPolicy ??= 'Cluster';
  if (usesNodePorts(spec.type)) spec.externalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
}

function validate(spec: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  if (!TYPES.includes(String(spec.type))) errors.push(fieldNotSupported('spec.type', spec.type, TYPES));
  if (spec.type === 'ExternalName') {
    if (!spec.externalName) errors.push(fieldRequired('spec.externalName'));
    return errors;
  }
  const ports = portsOf(spec);
  if (ports.length === 0 && spec.clusterIP !== 'None') errors.push(fieldRequired('spec.ports'));
  ports.forEach((port, i) => {
    const n = port.port;
    if (typeof n !== 'number' || n < 1 || n > 65535) errors.push(fieldInvalid(`spec.ports[${i}].port`, n ?? 0, 'must be between 1 and 65535, inclusive'));
    if (ports.length > 1 && !port.name) errors.push(fieldRequired(`spec.ports[${i}].name`));
    if (port.nodePort !== undefined && !usesNodePorts(spec.type)) {
      errors.push(fieldForbidden(`spec.ports[${i}].nodePort`, `may not be used when \`type\` is '${String(spec.type)}'`));
    }
  });
  if (spec.healthCheckNodePort !== undefined && spec.healthCheckNodePort !== 0 && !needsHealthCheckPort(spec)) {
    errors.push(fieldInvalid('spec.healthCheckNodePort', spec.healthCheckNodePort, 'may only be set when `type` is \'LoadBalancer\' and `externalTrafficPolicy` is \'Local\''));
  }
  return errors;
}

/** A LoadBalancer that keeps traffic on the node it reaches gets a port for health checks. */
function needsHealthCheckPort(spec: JsonObject): boolean {
  return spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
}

/** Allocates what the spec asks for; on failure releases what it took and reports why. */
function allocate(spec: JsonObject, allocator: ServiceAllocator, oldSpec: JsonObject | undefined): FieldError[] {
  const takenIps: string[] = [];
  const takenPorts: number[] = [];
  const fail = (err: FieldError): FieldError[] => {
    for (const ip of takenIps) allocator.releaseIp(ip);
    for (const p of takenPorts) allocator.releasePort(p);
    return [err];
  };
  if (spec.type !== 'ExternalName' && !oldSpec?.clusterIP) {
    const requested = typeof spec.clusterIP === 'string' && spec.clusterIP !== '' ? spec.clusterIP
      : Array.isArray(spec.clusterIPs) && typeof spec.clusterIPs[0] === 'string' ? spec.clusterIPs[0] : undefined;
    if (requested === 'None') {
      spec.clusterIP = 'None';
      spec.clusterIPs = ['None'];
    } else if (requested) {
      const problem = allocator.reserveIp(requested);
      if (problem) return fail(fieldInvalid('spec.clusterIPs', [requested], problem));
      takenIps.push(requested);
      spec.clusterIP = requested;
      spec.clusterIPs = [requested];
    } else {
      const ip = allocator.allocateIp();
      takenIps.push(ip);
      spec.clusterIP = ip;
      spec.clusterIPs = [ip];
    }
  }
  if (usesNodePorts(spec.type)) {
    const oldPorts = oldSpec && usesNodePorts(oldSpec.type) ? portsOf(oldSpec) : [];
    const ports = portsOf(spec);
    // As the real strategy (patchAllocatedValues): a port left without its node port gets the one
    // of the old port of the same name, unless another port of the update uses it.
    const used = new Set(ports.map((p) => p.nodePort).filter((n) => typeof n === 'number'));
    for (let i = 0; i < ports.length; i++) {
      const port = ports[i] as JsonObject;
      const previous = oldPorts.find((p) => (p.name ?? '') === (port.name ?? ''));
      if (port.nodePort === undefined && typeof previous?.nodePort === 'number' && !used.has(previous.nodePort)) {
        port.nodePort = previous.nodePort;
        used.add(previous.nodePort);
        continue;
      }
      if (typeof port.nodePort === 'number' && oldPorts.some((p) => p.nodePort === port.nodePort)) continue;
      if (typeof port.nodePort === 'number') {
        const problem = allocator.reservePort(port.nodePort);
        if (problem) return fail(fieldInvalid(`spec.ports[${i}].nodePort`, port.nodePort, problem));
        takenPorts.push(port.nodePort);
      } else {
        const allocated = allocator.allocatePort();
        takenPorts.push(allocated);
        port.nodePort = allocated;
      }
    }
  }
  if (needsHealthCheckPort(spec)) {
    const kept = oldSpec && needsHealthCheckPort(oldSpec) && typeof oldSpec.healthCheckNodePort === 'number' ? oldSpec.healthCheckNodePort : undefined;
    if (typeof spec.healthCheckNodePort !== 'number' || spec.healthCheckNodePort === 0) spec.healthCheckNodePort = kept ?? null;
    if (spec.healthCheckNodePort === null) {
      const allocated = allocator.allocatePort();
      takenPorts.push(allocated);
      spec.healthCheckNodePort = allocated;
    } else if (spec.healthCheckNodePort !== kept) {
      const problem = allocator.reservePort(spec.healthCheckNodePort);
      if (problem) return fail(fieldInvalid('spec.healthCheckNodePort', spec.healthCheckNodePort, problem));
      takenPorts.push(spec.healthCheckNodePort);
    }
  }
  return [];
}

function release(spec: JsonObject | undefined, allocator: ServiceAllocator, keep?: JsonObject): void {
  if (!spec) return;
  const keptPorts = new Set(keep ? portsOf(keep).map((p) => p.nodePort) : []);
  if (typeof spec.clusterIP === 'string' && spec.clusterIP !== 'None' && spec.clusterIP !== keep?.clusterIP) {
    allocator.releaseIp(spec.clusterIP);
  }
  for (const port of portsOf(spec)) {
    if (typeof port.nodePort === 'number' && !keptPorts.has(port.nodePort)) allocator.releasePort(port.nodePort);
  }
  if (typeof spec.healthCheckNodePort === 'number' && spec.healthCheckNodePort !== keep?.healthCheckNodePort) allocator.releasePort(spec.healthCheckNodePort);
}

/** Services: defaults, cluster IP and node port allocation (and their release), immutability of the IP. */
export function serviceHooks(allocator: ServiceAllocator): KindHooks {
  return {
    prepareCreate(obj) {
      const spec = specOf(obj);
      applyDefaults(spec);
      obj.status = { loadBalancer: {} };
      const errors = validate(spec);
      if (errors.length > 0) return errors;
      return allocate(spec, allocator, undefined);
    },
    prepareUpdate(obj, old, ctx) {
      const spec = specOf(obj);
      const oldSpec = isObject(old.spec) ? old.spec : {};
      applyDefaults(spec);
      if (spec.type !== 'ExternalName' && oldSpec.type !== 'ExternalName') {
        if (spec.clusterIP === undefined || spec.clusterIP === '') {
          spec.clusterIP = oldSpec.clusterIP ?? null;
          spec.clusterIPs = oldSpec.clusterIPs ?? null;
        } else if (spec.clusterIP !== oldSpec.clusterIP) {
          return [fieldInvalid('spec.clusterIPs[0]', [String(spec.clusterIP)], 'may not change once set')];
        }
        spec.clusterIPs ??= oldSpec.clusterIPs ?? null;
      }
      const errors = validate(spec);
      if (errors.length > 0 || ctx.write.dryRun) return errors;
      const allocErrors = allocate(spec, allocator, spec.type === 'ExternalName' ? undefined : oldSpec);
      if (allocErrors.length > 0) return allocErrors;
      release(oldSpec, allocator, spec);
      return [];
    },
    afterDelete(obj) {
      release(isObject(obj.spec) ? obj.spec : undefined, allocator);
    },
  };
}
