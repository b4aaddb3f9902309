import { DescribeClusterCommand, type EKSClient } from '@aws-sdk/client-eks';
import { createEksToken, EKS_TOKEN_REUSE_MS } from '../aws/eks-token.js';
import { NotFoundError } from '../errors.js';
import { createKubeApi, type KubeApi } from './kube-api.js';

/**
 * The Kubernetes API of an EKS cluster as the function's own role: DescribeCluster for the
 * endpoint and CA, and an EKS token signed with the role's credentials (no IAM permission
 * beyond the role's identity; EKS maps the role through its access entry). Both are reused per
 * cluster for 14 minutes, as `aws eks get-token` users do, so a burst of status writes costs one
 * DescribeCluster. `now` signs the token: the local runtime passes its scaled clock, so the
 * local STS judges the token's age on the same clock.
 */
export function eksKubeApi(
  eks: EKSClient,
  options: { now?: () => number } = {},
): (cluster: string) => Promise<KubeApi> {
  const now = options.now ?? Date.now;
  const cache = new Map<string, { api: KubeApi; until: number }>();
  return async (cluster) => {
    const cached = cache.get(cluster);
    if (cached !== undefined && cached.until > now()) return cached.api;
    const described = await eks.send(new DescribeClusterCommand({ name: cluster }));
    const endpoint = described.cluster?.endpoint;
    if (!endpoint) throw new NotFoundError(`EKS cluster ${cluster} has no API endpoint yet`);
    const signedAt = now();
    const token = await createEksToken({
      clusterName: cluster,
      region: await eks.config.region(),
      credentials: eks.config.credentials,
      signingDate: new Date(signedAt),
    });
    const api = createKubeApi({
      server: endpoint,
      token,
      caData: described.cluster?.certificateAuthority?.data ?? '',
    });
    cache.set(cluster, { api, until: signedAt + EKS_TOKEN_REUSE_MS });
    return api;
  };
}
