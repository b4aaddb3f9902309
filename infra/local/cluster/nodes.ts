/**
 * Worker nodes: EC2 instances spread over the topology's subnets (private ones preferred, as
 * managed node groups are usually placed), each registered through the EC2 hook so ELBv2 can
 * validate instance targets, with an InternalIP from its subnet and the well-known topology
 * labels. The kubelet registers its own Node object, so that create is logged as the node.
 */
import type { SubnetSeed } from '../aws/context.js';
import type { InstanceSeed } from '../aws/service.js';
import { controllerActor, kubeletActor } from './audit/actors.js';
import type { SimContext } from './context.js';
import type { SubnetIpam } from './ipam.js';
import { clone, type Node } from './objects.js';

export interface Ec2Hook {
  addInstance(instance: InstanceSeed): unknown;
  removeInstance?(instanceId: string): unknown;
}

export interface SimNode {
  name: string;
  instanceId: string;
  subnetId: string;
  zone: string;
  internalIP: string;
}

export interface AddNodeOptions {
  name?: string;
  subnetId?: string;
  labels?: Record<string, string>;
  instanceType?: string;
}

/** Subnets tagged for internal load balancers, or not tagged for internet-facing ones. */
export function privateSubnets(subnets: readonly SubnetSeed[]): SubnetSeed[] {
  const isPublic = (s: SubnetSeed) => s.tags['kubernetes.io/role/elb'] === '1';
  const isPrivate = (s: SubnetSeed) => s.tags['kubernetes.io/role/internal-elb'] === '1' || !isPublic(s);
  const chosen = subnets.filter(isPrivate);
  return chosen.length > 0 ? chosen : [...subnets];
}

export function nodeNameFor(ip: string, region: string): string {
  const domain = region === 'us-east-1' ? 'ec2.internal' : `${region}.compute.internal`;
  return `ip-${ip.replace(/\./g, '-')}.${domain}`;
}

export class NodePool {
  private readonly nodes = new Map<string, SimNode>();
  private placed = 0;
  /** EC2 hook calls that failed (the hook's own errors are its business; we count them) */
  ec2Failures = 0;

  constructor(
    private readonly ctx: SimContext,
    private readonly subnets: readonly SubnetSeed[],
    private readonly ipams: ReadonlyMap<string, SubnetIpam>,
    private readonly region: string,
    private readonly ec2?: Ec2Hook,
  ) {}

  info(name: string): SimNode | undefined {
    return this.nodes.get(name);
  }

  byInstanceId(instanceId: string): SimNode | undefined {
    return [...this.nodes.values()].find((n) => n.instanceId === instanceId);
  }

  all(): SimNode[] {
    return [...this.nodes.values()];
  }

  ipam(node: SimNode): SubnetIpam {
    return this.ipams.get(node.subnetId) as SubnetIpam;
  }

  add(options: AddNodeOptions = {}): Node {
    const candidates = privateSubnets(this.subnets);
    const subnet = options.subnetId
      ? this.subnets.find((s) => s.id === options.subnetId)
      : candidates[this.placed % candidates.length];
    if (!subnet)
      throw new Error(`node placement: subnet ${options.subnetId ?? '(none)'} is not in the topology`);
    this.placed++;
    const ipam = this.ipams.get(subnet.id) as SubnetIpam;
    const internalIP = ipam.allocate();
    const name = options.name ?? nodeNameFor(internalIP, this.region);
    if (this.nodes.has(name)) throw new Error(`Node ${name} already exists`);
    const instanceId = `i-${this.ctx.rng.hex(17)}`;
    const info: SimNode = {
      name,
      instanceId,
      subnetId: subnet.id,
      zone: subnet.availabilityZone,
      internalIP,
    };
    this.nodes.set(name, info);
    this.callEc2(() =>
      this.ec2?.addInstance({
        id: instanceId,
        subnetId: subnet.id,
        privateIp: internalIP,
        availabilityZone: subnet.availabilityZone,
        instanceType: options.instanceType ?? 'm5.large',
        tags: { [`kubernetes.io/cluster/${this.ctx.actors.clusterName}`]: 'owned' },
      }),
    );
    const now = new Date(this.ctx.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    const node: Node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        labels: {
          'kubernetes.io/arch': 'amd64',
          'kubernetes.io/os': 'linux',
          'kubernetes.io/hostname': name,
          'node.kubernetes.io/instance-type': options.instanceType ?? 'm5.large',
          'topology.kubernetes.io/region': this.region,
          'topology.kubernetes.io/zone': subnet.availabilityZone,
          'eks.amazonaws.com/nodegroup': 'default',
          ...options.labels,
        },
        annotations: {
          'node.alpha.kubernetes.io/ttl': '0',
          'alpha.kubernetes.io/provided-node-ip': internalIP,
        },
      },
      spec: { providerID: `aws:///${subnet.availabilityZone}/${instanceId}` },
      status: {
        conditions: [
          { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: now, lastTransitionTime: now },
          { type: 'DiskPressure', status: 'False', lastHeartbeatTime: now, lastTransitionTime: now },
          { type: 'PIDPressure', status: 'False', lastHeartbeatTime: now, lastTransitionTime: now },
          { type: 'Ready', status: 'True', lastHeartbeatTime: now, lastTransitionTime: now },
        ],
        addresses: [
          { type: 'InternalIP', address: internalIP },
          { type: 'InternalDNS', address: name },
          { type: 'Hostname', address: name },
        ],
      },
    };
    return this.ctx.api.create(kubeletActor(this.ctx.actors, info), node);
  }

  /** kubectl cordon / uncordon */
  cordon(name: string, unschedulable = true): Node {
    const node = this.require(name);
    const next = clone(node);
    if (unschedulable) next.spec.unschedulable = true;
    else delete next.spec.unschedulable;
    return this.ctx.api.update(this.ctx.operator, next, {
      verb: 'patch',
      requestObject: { spec: { unschedulable: unschedulable ? true : null } },
    });
  }

  /** kubectl taint nodes <name> key=value:Effect */
  taint(name: string, taint: { key: string; value?: string; effect: string }): Node {
    const node = this.require(name);
    const next = clone(node);
    next.spec.taints = [...(next.spec.taints ?? []).filter((t) => t.key !== taint.key), taint];
    return this.ctx.api.update(this.ctx.operator, next, {
      verb: 'patch',
      requestObject: { spec: { taints: next.spec.taints } },
    });
  }

  /** Removes the Node object and terminates its instance; the caller deletes the pods on it. */
  remove(name: string): void {
    const node = this.require(name);
    const info = this.nodes.get(name) as SimNode;
    this.ctx.api.delete(controllerActor(this.ctx.actors, 'node-controller'), node, {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
    });
    this.nodes.delete(name);
    this.ipams.get(info.subnetId)?.release(info.internalIP);
    this.callEc2(() => this.ec2?.removeInstance?.(info.instanceId));
  }

  isSchedulable(node: Node): boolean {
    if (node.spec.unschedulable) return false;
    if (node.status.conditions.some((c) => c.type === 'Ready' && c.status !== 'True')) return false;
    return true;
  }

  require(name: string): Node {
    const node = this.ctx.store.get<Node>('Node', name);
    if (!node) throw new Error(`Node ${name} does not exist`);
    return node;
  }

  private callEc2(call: () => unknown): void {
    try {
      const result = call();
      if (result instanceof Promise) result.catch(() => this.ec2Failures++);
    } catch {
      this.ec2Failures++;
    }
  }
}
