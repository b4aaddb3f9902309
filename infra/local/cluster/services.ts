/**
 * What the API server fills in on a Service: a cluster IP from the service CIDR and, for
 * NodePort and LoadBalancer Services, a node port per port from 30000-32767. Ports keep their
 * allocation across updates (matched by name, then by port), and a node port asked for
 * explicitly must be free, or the request fails like the real one does.
 */
import { InvalidInputError } from '../../../shared/errors.js';
import { formatIpv4, parseCidr } from './ipam.js';
import type { Service, ServicePort } from './objects.js';
import type { Rng } from './rng.js';

export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;

export class ServiceAllocator {
  private readonly nodePorts = new Map<number, string>();
  private readonly clusterIPs = new Set<string>();

  constructor(
    private readonly rng: Rng,
    private readonly serviceCidr = '172.20.0.0/16',
  ) {}

  /** Fills clusterIP and nodePorts on `next`, reusing what `current` (the stored version) had. */
  allocate(next: Service, current: Service | undefined): void {
    const owner = `${next.metadata.namespace}/${next.metadata.name}`;
    if (next.spec.type !== 'ExternalName')
      next.spec.clusterIP ??= current?.spec.clusterIP ?? this.clusterIP();
    const wantsNodePorts = next.spec.type === 'NodePort' || next.spec.type === 'LoadBalancer';
    const previous = current?.spec.ports ?? [];
    const kept = new Set<number>();
    (next.spec.ports ?? []).forEach((port, index) => {
      if (!wantsNodePorts) {
        delete port.nodePort;
        return;
      }
      const before = this.match(previous, port);
      const asked = port.nodePort;
      if (asked !== undefined) {
        const holder = this.nodePorts.get(asked);
        if (holder !== undefined && holder !== owner)
          throw new InvalidInputError(
            `Service ${owner}: spec.ports[${index}].nodePort: Invalid value: ${asked}: provided port is already allocated`,
            { subject: { kind: 'Service', name: owner, field: `spec.ports[${index}].nodePort` } },
          );
      }
      port.nodePort = asked ?? before?.nodePort ?? this.freeNodePort();
      this.nodePorts.set(port.nodePort, owner);
      kept.add(port.nodePort);
    });
    for (const port of previous)
      if (port.nodePort !== undefined && !kept.has(port.nodePort)) this.nodePorts.delete(port.nodePort);
  }

  release(service: Service): void {
    for (const port of service.spec.ports ?? [])
      if (port.nodePort !== undefined) this.nodePorts.delete(port.nodePort);
    if (service.spec.clusterIP) this.clusterIPs.delete(service.spec.clusterIP);
  }

  private match(previous: ServicePort[], port: ServicePort): ServicePort | undefined {
    return (
      previous.find((p) => p.name !== undefined && p.name === port.name) ??
      previous.find((p) => p.port === port.port && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP'))
    );
  }

  private freeNodePort(): number {
    const span = NODE_PORT_MAX - NODE_PORT_MIN + 1;
    if (this.nodePorts.size >= span) throw new InvalidInputError('no node ports left in 30000-32767');
    for (;;) {
      const candidate = NODE_PORT_MIN + this.rng.int(span);
      if (!this.nodePorts.has(candidate)) return candidate;
    }
  }

  private clusterIP(): string {
    const { base, size } = parseCidr(this.serviceCidr);
    for (;;) {
      const ip = formatIpv4(base + 10 + this.rng.int(size - 11));
      if (!this.clusterIPs.has(ip)) {
        this.clusterIPs.add(ip);
        return ip;
      }
    }
  }
}
