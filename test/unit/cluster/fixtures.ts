import type { Topology } from '../../../infra/local/aws/context.js';
import { type VirtualClock, virtualClock } from '../../../infra/local/aws/context.js';
import type { InstanceSeed } from '../../../infra/local/aws/service.js';
import {
  type ClusterOptions,
  createCluster,
  type SimulatedCluster,
} from '../../../infra/local/cluster/index.js';
import type { Pod } from '../../../infra/local/cluster/objects.js';

/** A small VPC: two private subnets and one public subnet across two zones. */
export const TOPOLOGY: Topology = {
  account: '111122223333',
  region: 'eu-west-1',
  vpc: { id: 'vpc-0a1b2c3d', cidr: '10.0.0.0/16' },
  subnets: [
    {
      id: 'subnet-priv-a',
      availabilityZone: 'eu-west-1a',
      cidr: '10.0.16.0/20',
      tags: { 'kubernetes.io/role/internal-elb': '1' },
    },
    {
      id: 'subnet-priv-b',
      availabilityZone: 'eu-west-1b',
      cidr: '10.0.32.0/20',
      tags: { 'kubernetes.io/role/internal-elb': '1' },
    },
    {
      id: 'subnet-pub-a',
      availabilityZone: 'eu-west-1a',
      cidr: '10.0.0.0/24',
      tags: { 'kubernetes.io/role/elb': '1' },
    },
  ],
  clusters: [{ name: 'demo', endpoint: 'http://127.0.0.1:0', certificateAuthority: '', version: '1.31' }],
};

export function webManifests(
  options: {
    replicas?: number;
    maxSurge?: number | string;
    maxUnavailable?: number | string;
    readinessProbe?: boolean;
  } = {},
): string {
  const strategy =
    options.maxSurge !== undefined || options.maxUnavailable !== undefined
      ? `
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: ${JSON.stringify(options.maxSurge ?? 0)}
      maxUnavailable: ${JSON.stringify(options.maxUnavailable ?? 0)}`
      : '';
  return `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: ${options.replicas ?? 3}
  selector:
    matchLabels: { app: web }${strategy}
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - { name: http, containerPort: 8080 }
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
  labels: { app: web }
spec:
  type: NodePort
  selector: { app: web }
  ports:
    - { name: http, port: 80, targetPort: http }
`;
}

export interface TestCluster {
  cluster: SimulatedCluster;
  clock: VirtualClock;
  instances: InstanceSeed[];
}

/** A cluster on a virtual clock with short, distinct delays, recording EC2 registrations. */
export function testCluster(options: Partial<ClusterOptions> = {}): TestCluster {
  const clock = virtualClock();
  const instances: InstanceSeed[] = [];
  const cluster = createCluster({
    clock,
    topology: TOPOLOGY,
    seed: 42,
    delays: { schedule: 100, containerStart: 1000, ready: 2000, terminate: 3000 },
    ec2: {
      addInstance: (seed) => instances.push(seed),
      removeInstance: (id) =>
        instances.splice(
          instances.findIndex((i) => i.id === id),
          1,
        ),
    },
    ...options,
  });
  return { cluster, clock, instances };
}

export function podsOf(cluster: SimulatedCluster, namespace = 'default'): Pod[] {
  return cluster.list<Pod>('Pod', namespace);
}
