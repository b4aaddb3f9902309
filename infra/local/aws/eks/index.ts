/**
 * EKS, read-only: DescribeCluster and ListClusters over the topology's clusters. The simulated
 * cluster serves the Kubernetes API on a port it picks at start, so it tells EKS its endpoint
 * with `setClusterEndpoint`. EKS is REST-JSON: `route` maps method and path to an action.
 */
import { AwsApiError } from '../api-error.js';
import type { ClusterSeed, ServiceContext } from '../context.js';
import type { LocalService } from '../service.js';
import { certificateAuthorityData, eksEndpointUrl } from './certificate.js';

export interface EksService extends LocalService {
  readonly name: 'eks';
  setClusterEndpoint(name: string, endpoint: string, certificateAuthority?: string): void;
}

export interface EksRoute {
  action: string;
  input: Record<string, unknown>;
}

/** `GET /clusters` and `GET /clusters/{name}`; undefined for anything else. */
export function routeEksRequest(method: string, path: string, query: URLSearchParams): EksRoute | undefined {
  if (method !== 'GET') return undefined;
  if (path === '/clusters' || path === '/clusters/') {
    return { action: 'ListClusters', input: Object.fromEntries(query) };
  }
  const match = /^\/clusters\/([^/]+)\/?$/.exec(path);
  if (match === null) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
  return { action: 'DescribeCluster', input: { name } };
}

const MAX_RESULTS = 100;

export function createEksService(ctx: ServiceContext): EksService {
  const { account, region } = ctx;
  const createdAt = new Date(ctx.clock.now());
  // an ACTIVE EKS cluster always has both: a cluster the topology leaves without them gets an
  // endpoint of EKS's shape and a CA of its own (the simulated cluster sets its real URL later)
  const clusters = new Map<string, ClusterSeed>(
    ctx.topology.clusters.map((c) => [
      c.name,
      {
        ...c,
        endpoint: c.endpoint || eksEndpointUrl(account, region, c.name),
        certificateAuthority: c.certificateAuthority || certificateAuthorityData(c.name, createdAt),
      },
    ]),
  );
  const subnetIds = ctx.topology.subnets.map((s) => s.id);

  const describe = (cluster: ClusterSeed) => ({
    name: cluster.name,
    arn: `arn:aws:eks:${region}:${account}:cluster/${cluster.name}`,
    createdAt,
    version: cluster.version,
    platformVersion: 'eks.1',
    endpoint: cluster.endpoint,
    roleArn: `arn:aws:iam::${account}:role/${cluster.name}-cluster`,
    resourcesVpcConfig: {
      vpcId: ctx.topology.vpc.id,
      subnetIds,
      securityGroupIds: [],
      endpointPublicAccess: true,
      endpointPrivateAccess: true,
      publicAccessCidrs: ['0.0.0.0/0'],
    },
    kubernetesNetworkConfig: { serviceIpv4Cidr: '172.20.0.0/16', ipFamily: 'ipv4' },
    logging: { clusterLogging: [{ types: ['api', 'audit', 'authenticator'], enabled: true }] },
    certificateAuthority: { data: cluster.certificateAuthority },
    accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' },
    status: 'ACTIVE',
    tags: {},
  });

  const notFound = (name: string) =>
    new AwsApiError('ResourceNotFoundException', `No cluster found for name: ${name}.`, 404);

  return {
    name: 'eks',
    handle(action, input) {
      if (action === 'DescribeCluster') {
        const name = String(input['name'] ?? '');
        const cluster = clusters.get(name);
        if (cluster === undefined) throw notFound(name);
        return { cluster: describe(cluster) };
      }
      if (action === 'ListClusters') {
        const max = input['maxResults'] === undefined ? MAX_RESULTS : Number(input['maxResults']);
        if (!Number.isInteger(max) || max < 1 || max > MAX_RESULTS) {
          throw new AwsApiError(
            'InvalidParameterException',
            `maxResults must be an integer from 1 to ${MAX_RESULTS}`,
          );
        }
        const names = [...clusters.keys()].sort();
        const start = input['nextToken'] === undefined ? 0 : Number(input['nextToken']);
        if (!Number.isInteger(start) || start < 0 || start > names.length) {
          throw new AwsApiError('InvalidParameterException', 'nextToken is not one this endpoint issued');
        }
        const page = names.slice(start, start + max);
        const next = start + max < names.length ? String(start + max) : undefined;
        return { clusters: page, ...(next === undefined ? {} : { nextToken: next }) };
      }
      throw new AwsApiError(
        'UnknownOperationException',
        `EKS has no operation ${action} on this endpoint`,
        404,
      );
    },
    setClusterEndpoint(name, endpoint, certificateAuthority) {
      const cluster = clusters.get(name);
      if (cluster === undefined) throw new Error(`setClusterEndpoint: no cluster ${name} in the topology`);
      cluster.endpoint = endpoint;
      if (certificateAuthority !== undefined) cluster.certificateAuthority = certificateAuthority;
    },
    dump: () => [...clusters.values()].map(describe),
  };
}
