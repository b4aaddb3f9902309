/**
 * The traffic model's view of a running LocalSystem: the clock, the load balancer behind an
 * Ingress or a Service (found by the hostname slbc wrote into its status), the local ELBv2
 * router, and the simulated cluster's data plane (does the pod answer).
 */
import type { KubeObject } from '../cluster/index.js';
import type { LocalSystem } from '../runtime/index.js';
import type { Entrypoint, TrafficWorld } from './traffic.js';

interface IngressLike {
  spec?: { rules?: { host?: string; http?: { paths?: { path?: string }[] } }[] };
  status?: { loadBalancer?: { ingress?: { hostname?: string }[] } };
}
interface ServiceLike {
  spec?: { ports?: { port?: number }[] };
  status?: { loadBalancer?: { ingress?: { hostname?: string }[] } };
}
interface DumpedBalancer {
  LoadBalancerArn: string;
  DNSName: string;
}
interface DumpedListener {
  LoadBalancerArn: string;
  Port: number;
}

/** `Ingress ns/name` or `Service ns/name` (namespace defaults to `default`) */
export function parseTrafficTarget(to: string): { kind: 'Ingress' | 'Service'; key: string } | undefined {
  const match = /^(Ingress|Service) +(?:([a-z0-9][-a-z0-9]*)\/)?([a-z0-9][-a-z0-9.]*)$/.exec(to.trim());
  if (!match) return undefined;
  return { kind: match[1] as 'Ingress' | 'Service', key: `${match[2] ?? 'default'}/${match[3]}` };
}

/** the request a client of the Ingress would send: its first rule's host and first path */
function ingressRequest(ingress: IngressLike): { host?: string; path: string } {
  const rule = ingress.spec?.rules?.[0];
  const path = rule?.http?.paths?.[0]?.path ?? '/';
  return { ...(rule?.host ? { host: rule.host } : {}), path: path.replace(/\*.*$/, '') || '/' };
}

export function systemTrafficWorld(system: LocalSystem): TrafficWorld {
  const elbv2 = system.aws.services.elbv2;
  const clock = system.aws.clock;
  // hostname → the balancer and its listener ports, looked up once (a dump is not cheap)
  const byHostname = new Map<string, { arn: string; ports: number[] }>();
  const lookup = (hostname: string) => {
    const cached = byHostname.get(hostname);
    if (cached && cached.ports.length > 0 && elbv2.loadBalancerState(cached.arn) !== undefined) return cached;
    const dump = elbv2.dump();
    const balancer = (dump.loadBalancers as DumpedBalancer[]).find((lb) => lb.DNSName === hostname);
    if (!balancer) return undefined;
    const ports = (dump.listeners as DumpedListener[])
      .filter((listener) => listener.LoadBalancerArn === balancer.LoadBalancerArn)
      .map((listener) => listener.Port)
      .sort((a, b) => a - b);
    const found = { arn: balancer.LoadBalancerArn, ports };
    byHostname.set(hostname, found);
    return found;
  };

  return {
    now: () => clock.now(),
    setTimer: (ms, fn) => clock.setTimer(ms, fn),
    entrypoint(to): Entrypoint | undefined {
      const target = parseTrafficTarget(to);
      if (!target) return undefined;
      const object = system.cluster.get<KubeObject>(target.kind, target.key) as
        | (KubeObject & IngressLike & ServiceLike)
        | undefined;
      const hostname = object?.status?.loadBalancer?.ingress?.find((entry) => entry.hostname)?.hostname;
      if (!object || !hostname) return undefined;
      const balancer = lookup(hostname);
      if (!balancer) return undefined;
      if (target.kind === 'Service') {
        const port = (object as ServiceLike).spec?.ports?.[0]?.port;
        return port === undefined
          ? undefined
          : { loadBalancerArn: balancer.arn, port, host: hostname, path: '/' };
      }
      const port = balancer.ports.includes(80) ? 80 : balancer.ports[0];
      if (port === undefined) return undefined;
      const request = ingressRequest(object as IngressLike);
      return { loadBalancerArn: balancer.arn, port, host: request.host ?? hostname, path: request.path };
    },
    loadBalancerState: (arn) => elbv2.loadBalancerState(arn),
    route: (request) => elbv2.route(request),
    answers: (id, port) =>
      id.startsWith('i-') ? system.cluster.isInstanceServing(id, port) : system.cluster.isServing(id, port),
  };
}
