import type { Service, ServicePort } from '../../k8s/objects.js';
import { parseString } from '../annotations/parse.js';
import type { IpPermission, ListenerProtocol, TargetGroupSpec } from '../stack.js';
import { serviceKey } from './claim.js';
import { type Read, readList } from './settings.js';

/**
 * The listeners a Service's ports become (pkg/service/model_build_listener.go): TCP or UDP, or TLS
 * for the ports `ssl-ports` names when `ssl-cert` is set; and the managed security group's rules.
 */

export interface PortPlan {
  port: ServicePort;
  listenerProtocol: ListenerProtocol;
  targetProtocol: TargetGroupSpec['protocol'];
}

export function planPorts(service: Service): Read<PortPlan[]> {
  const annotations = service.metadata.annotations ?? {};
  const ports = service.spec.ports ?? [];
  if (ports.length === 0)
    return { error: 'a LoadBalancer Service needs at least one port', field: 'spec.ports' };
  const certificates = readList(annotations, 'aws-load-balancer-ssl-cert') ?? [];
  const sslPorts = readList(annotations, 'aws-load-balancer-ssl-ports');
  const backendSsl = parseString(annotations, serviceKey('aws-load-balancer-backend-protocol')) === 'ssl';
  const isTls = (port: ServicePort) =>
    certificates.length > 0 &&
    (sslPorts === undefined ||
      sslPorts.includes('*') ||
      sslPorts.includes(String(port.port)) ||
      (port.name !== undefined && sslPorts.includes(port.name)));
  const used = new Set(ports.flatMap((port) => [String(port.port), ...(port.name ? [port.name] : [])]));
  const unused = (sslPorts ?? []).filter((entry) => entry !== '*' && !used.has(entry));
  if (certificates.length > 0 && unused.length > 0) {
    return {
      error: `Unused port in ssl-ports annotation [${unused.join(' ')}]`,
      field: `metadata.annotations["${serviceKey('aws-load-balancer-ssl-ports')}"]`,
    };
  }
  const plans: PortPlan[] = [];
  const seen = new Set<number>();
  for (const [index, port] of ports.entries()) {
    const protocol = (port.protocol ?? 'TCP').toUpperCase();
    if (protocol !== 'TCP' && protocol !== 'UDP') {
      return { error: `unsupported port protocol ${protocol}`, field: `spec.ports[${index}].protocol` };
    }
    if (seen.has(port.port)) {
      return {
        error: `port ${port.port} is listed twice (TCP_UDP listeners are not supported)`,
        field: `spec.ports[${index}]`,
      };
    }
    seen.add(port.port);
    if (protocol === 'TCP' && isTls(port)) {
      plans.push({ port, listenerProtocol: 'TLS', targetProtocol: backendSsl ? 'TLS' : 'TCP' });
    } else {
      plans.push({ port, listenerProtocol: protocol, targetProtocol: protocol });
    }
  }
  return { value: plans };
}

/** One permission per listener port and source range (default 0.0.0.0/0), TCP or UDP as the listener. */
export function managedIngress(
  ports: readonly PortPlan[],
  sourceRanges: readonly string[],
  dualstack: boolean,
): IpPermission[] {
  const ranges = sourceRanges.length > 0 ? sourceRanges : dualstack ? ['0.0.0.0/0', '::/0'] : ['0.0.0.0/0'];
  const permissions: IpPermission[] = [];
  for (const plan of ports) {
    for (const cidr of ranges) {
      const v6 = cidr.includes(':');
      if (v6 && !dualstack) continue;
      permissions.push({
        ipProtocol: plan.listenerProtocol === 'UDP' ? 'udp' : 'tcp',
        fromPort: plan.port.port,
        toPort: plan.port.port,
        ...(v6 ? { ipv6Ranges: [{ cidrIPv6: cidr }] } : { ipRanges: [{ cidrIP: cidr }] }),
      });
    }
  }
  return permissions;
}
