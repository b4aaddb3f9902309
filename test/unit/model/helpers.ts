import type { Ingress, Service } from '../../../shared/k8s/objects.js';
import type { DiscoveredSubnet, ModelEnvironment } from '../../../shared/model/inputs.js';

/** Two internal and two internet-facing subnets, each pair in two AZs, role-tagged as the LBC expects. */
export const SUBNETS: DiscoveredSubnet[] = [
  {
    subnetId: 'subnet-a',
    availabilityZone: 'us-east-1a',
    cidrBlock: '192.168.0.0/19',
    tags: { 'kubernetes.io/role/internal-elb': '1' },
  },
  {
    subnetId: 'subnet-b',
    availabilityZone: 'us-east-1b',
    cidrBlock: '192.168.32.0/19',
    tags: { 'kubernetes.io/role/internal-elb': '1' },
  },
  {
    subnetId: 'subnet-c',
    availabilityZone: 'us-east-1a',
    cidrBlock: '192.168.64.0/19',
    tags: { 'kubernetes.io/role/elb': '1', Name: 'public-a' },
  },
  {
    subnetId: 'subnet-d',
    availabilityZone: 'us-east-1b',
    cidrBlock: '192.168.96.0/19',
    tags: { 'kubernetes.io/role/elb': '', Name: 'public-b' },
  },
];

export function environment(overrides: Partial<ModelEnvironment> = {}): ModelEnvironment {
  return {
    clusterName: 'cluster-dummy',
    vpcId: 'vpc-dummy',
    subnets: SUBNETS,
    config: {
      ingressClass: 'alb',
      defaultTargetType: 'instance',
      defaultScheme: 'internal',
      serviceClaim: 'all',
    },
    ...overrides,
  };
}

/** Annotation tables in tests are unions of object literals: absent keys show up as undefined. */
type LooseAnnotations = Record<string, string | undefined>;

function defined(annotations: LooseAnnotations): Record<string, string> {
  return Object.fromEntries(
    Object.entries(annotations).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

export function ingress(
  name: string,
  annotations: LooseAnnotations = {},
  spec: Ingress['spec'] = {},
  namespace = 'ns-1',
): Ingress {
  return {
    metadata: {
      namespace,
      name,
      annotations: { 'kubernetes.io/ingress.class': 'alb', ...defined(annotations) },
    },
    spec,
  };
}

/** An Ingress with one host block whose paths all go to `service:http`. */
export function pathsIngress(
  name: string,
  paths: string[],
  annotations: LooseAnnotations = {},
  service = 'svc-1',
): Ingress {
  return ingress(name, annotations, {
    rules: [
      {
        http: {
          paths: paths.map((path) => ({
            path,
            pathType: 'Prefix',
            backend: { service: { name: service, port: { name: 'http' } } },
          })),
        },
      },
    ],
  });
}

export function service(name: string, annotations: Record<string, string> = {}, namespace = 'ns-1'): Service {
  return {
    metadata: { namespace, name, annotations },
    spec: { type: 'NodePort', ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 32768 }] },
  };
}
