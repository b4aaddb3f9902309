import type { EKSClient } from '@aws-sdk/client-eks';
import { type EksClusters, eksClusters } from '../aws/eks-cluster.js';
import { createEksToken, EKS_TOKEN_REUSE_MS } from '../aws/eks-token.js';
import { NotFoundError } from '../errors.js';
import { createKubeApi, type KubeApi } from './kube-api.js';

/**
 * The Kubernetes API of an EKS cluster as the function's own role: the endpoint and CA from
 * the shared DescribeCluster cache (shared/aws/eks-cluster.ts), and an EKS token signed with the
 * role's credentials (no IAM permission beyond the role's identity; EKS maps the role through
 * its access entry). The token is reused per cluster for 14 minutes, as `aws eks get-token`
 * users do. `now` signs the token: the local runtime passes its scaled clock, so the local STS
 * judges the token's age on the same clock. Pass `clusters` to share one DescribeCluster cache
 * with the rest of the function.
 */
export function eksKubeApi(
  eks: EKSClient,
  options: { now?: () => number; clusters?: EksClusters } = {},
): (cluster: string) => Promise<KubeApi> {
  const now = options.now ?? Date.now;
  const clusters = options.clusters ?? eksClusters(eks);
  const cache = new Map<string, { api: KubeApi; until: number }>();
  return async (cluster) => {
    const cached = cache.get(cluster);
    if (cached !== undefined && cached.until > now()) return cached.api;
    const described = await clusters.describe(cluster);
    if (!described.endpoint)
      throw new NotFoundError(`EKS cluster ${cluster} has no API endpoint yet`, {
        subject: { kind: 'Cluster', name: cluster },
      });
    const signedAt = now();
    const token = await createEksToken({
      clusterName: cluster,
      region: await eks.config.region(),
      credentials: eks.config.credentials,
      signingDate: new Date(signedAt),
    });
    const api = createKubeApi({ server: described.endpoint, token, caData: described.caData });
    cache.set(cluster, { api, until: signedAt + EKS_TOKEN_REUSE_MS });
    return api;
  };
}
