import { DescribeClusterCommand, type EKSClient } from '@aws-sdk/client-eks';
import { NotFoundError } from '../errors.js';
import { translateStackError } from './elbv2-stacks-errors.js';

/**
 * The one DescribeCluster of slbc, cached per process and cluster: the VPC (stacks discovers
 * subnets and security groups in it) and the API endpoint and CA (the Kubernetes API client of
 * resync and the status writer). None of them changes during a cluster's life, so an answer that
 * has both VPC and endpoint is kept; one without (a cluster still being created) is asked again.
 * SDK errors are translated (throttling and 5xx retryable, an unknown cluster NotFound).
 */
export interface ClusterFacts {
  vpcId: string | undefined;
  endpoint: string | undefined;
  /** base64 PEM of the cluster CA; empty when DescribeCluster gave none */
  caData: string;
}

export interface EksClusters {
  describe(cluster: string): Promise<ClusterFacts>;
  /** the cluster's VPC; NotFound when it has none */
  vpcId(cluster: string): Promise<string>;
}

export function eksClusters(eks: EKSClient): EksClusters {
  const cache = new Map<string, ClusterFacts>();
  const describe = async (cluster: string): Promise<ClusterFacts> => {
    const cached = cache.get(cluster);
    if (cached !== undefined) return cached;
    let facts: ClusterFacts;
    try {
      const result = await eks.send(new DescribeClusterCommand({ name: cluster }));
      facts = {
        vpcId: result.cluster?.resourcesVpcConfig?.vpcId || undefined,
        endpoint: result.cluster?.endpoint || undefined,
        caData: result.cluster?.certificateAuthority?.data ?? '',
      };
    } catch (error) {
      throw translateStackError(error, 'DescribeCluster', cluster);
    }
    if (facts.vpcId !== undefined && facts.endpoint !== undefined) cache.set(cluster, facts);
    return facts;
  };
  return {
    describe,
    async vpcId(cluster) {
      const { vpcId } = await describe(cluster);
      if (vpcId === undefined)
        throw new NotFoundError(`EKS cluster ${cluster} has no VPC`, {
          subject: { kind: 'Cluster', name: cluster },
        });
      return vpcId;
    },
  };
}
