/**
 * Cluster IPs from the service CIDR and node ports from the node-port range, as the
 * apiserver's allocators hand them out: requested values are honoured unless taken or out of
 * range, free values are picked at random.
 */
export class ServiceAllocator {
  private readonly ips = new Set<number>();
  private readonly ports = new Set<number>();
  readonly cidr = '10.96.0.0/16';
  private readonly base = ipToNumber('10.96.0.0') as number;
  private readonly size = 1 << 16;
  readonly portRange: [number, number] = [30000, 32767];

  /** Returns an error message (the allocator's words) or undefined when the IP is now taken. */
  reserveIp(ip: string): string | undefined {
    const n = ipToNumber(ip);
    if (n === undefined || n <= this.base || n >= this.base + this.size - 1) {
      return `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${this.cidr}`;
    }
    if (this.ips.has(n)) return `failed to allocate IP ${ip}: provided IP is already allocated`;
    this.ips.add(n);
    return undefined;
  }

  allocateIp(): string {
    for (let attempt = 0; attempt < this.size; attempt++) {
      // .0.1 is the kubernetes Service's; random picks start above the first /24 like the real allocator's offset.
      const n = this.base + 256 + Math.floor(Math.random() * (this.size - 512));
      if (!this.ips.has(n)) {
        this.ips.add(n);
        return numberToIp(n);
      }
    }
    throw new Error('range is full');
  }

  releaseIp(ip: string): void {
    const n = ipToNumber(ip);
    if (n !== undefined) this.ips.delete(n);
  }

  reservePort(port: number): string | undefined {
    const [lo, hi] = this.portRange;
    if (port < lo || port > hi) return `provided port is not in the valid range. The range of valid ports is ${lo}-${hi}`;
    if (this.ports.has(port)) return 'provided port is already allocated';
    this.ports.add(port);
    return undefined;
  }

  allocatePort(): number {
    const [lo, hi] = this.portRange;
    for (let attempt = 0; attempt < hi - lo + 1; attempt++) {
      const port = lo + Math.floor(Math.random() * (hi - lo + 1));
      if (!this.ports.has(port)) {
        this.ports.add(port);
        return port;
      }
    }
    throw new Error('range is full');
  }

  releasePort(port: number): void {
    this.ports.delete(port);
  }
}

function ipToNumber(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const v = Number(part);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}
