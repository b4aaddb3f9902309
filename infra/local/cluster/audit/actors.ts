/**
 * Who makes each request, as EKS's authenticator and the control plane identify them: the
 * controllers' service accounts, the scheduler, each node's kubelet (an IAM role session named
 * after the instance) and the operator running kubectl. The audit log's user, userAgent,
 * sourceIPs and authorization annotations come from here.
 */

export interface UserInfo {
  username: string;
  uid: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export interface Actor {
  user: UserInfo;
  userAgent: string;
  sourceIP: string;
  /** the `authorization.k8s.io/reason` annotation the authorizer writes for this actor */
  authorizationReason: string;
}

/** What actor identities depend on: the account, the Kubernetes version, the control plane IP. */
export interface ActorContext {
  account: string;
  /** e.g. '1.31' */
  kubernetesVersion: string;
  clusterName: string;
  controlPlaneIP: string;
}

const GIT_COMMIT = '6c1d6d1';

function gitVersion(ctx: ActorContext): string {
  return `v${ctx.kubernetesVersion}.0`;
}

/** A stable, IAM-unique-ID-shaped string for an ARN, so the same principal keeps the same uid. */
export function iamUniqueId(prefix: 'AROA' | 'AIDA', arn: string): string {
  return (
    prefix +
    BigInt(`0x${fnvHex(arn, 24)}`)
      .toString(36)
      .toUpperCase()
      .padStart(17, '0')
      .slice(0, 17)
  );
}

function fnvHex(text: string, length: number): string {
  let hash = 2166136261;
  let out = '';
  for (let round = 0; out.length < length; round++) {
    for (const ch of `${round}:${text}`) hash = Math.imul(hash ^ ch.charCodeAt(0), 16777619) >>> 0;
    out += hash.toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}

/** A UUID-shaped id that is the same for the same name (service account uids are stable). */
export function stableUuid(name: string): string {
  const h = fnvHex(name, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A kube-controller-manager controller, running as its own service account. */
export function controllerActor(ctx: ActorContext, controller: string): Actor {
  const username = `system:serviceaccount:kube-system:${controller}`;
  return {
    user: {
      username,
      uid: stableUuid(username),
      groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
    },
    userAgent: `kube-controller-manager/${gitVersion(ctx)} (linux/amd64) kubernetes/${GIT_COMMIT}/${username}`,
    sourceIP: ctx.controlPlaneIP,
    authorizationReason: `RBAC: allowed by ClusterRoleBinding "system:controller:${controller}" of ClusterRole "system:controller:${controller}" to ServiceAccount "${controller}/kube-system"`,
  };
}

export function schedulerActor(ctx: ActorContext): Actor {
  return {
    user: { username: 'system:kube-scheduler', uid: '', groups: ['system:authenticated'] },
    userAgent: `kube-scheduler/${gitVersion(ctx)} (linux/amd64) kubernetes/${GIT_COMMIT}/scheduler`,
    sourceIP: ctx.controlPlaneIP,
    authorizationReason:
      'RBAC: allowed by ClusterRoleBinding "system:kube-scheduler" of ClusterRole "system:kube-scheduler" to User "system:kube-scheduler"',
  };
}

/** A node's kubelet: an IAM role session named after the EC2 instance, in group system:nodes. */
export function kubeletActor(
  ctx: ActorContext,
  node: { name: string; instanceId: string; internalIP: string },
): Actor {
  const role = `${ctx.clusterName}-node-role`;
  return {
    user: {
      username: `system:node:${node.name}`,
      uid: `aws-iam-authenticator:${ctx.account}:${iamUniqueId('AROA', role)}`,
      groups: ['system:nodes', 'system:authenticated'],
      extra: {
        accessKeyId: [`ASIA${iamUniqueId('AIDA', node.instanceId).slice(4, 20)}`],
        arn: [`arn:aws:sts::${ctx.account}:assumed-role/${role}/${node.instanceId}`],
        canonicalArn: [`arn:aws:iam::${ctx.account}:role/${role}`],
        sessionName: [node.instanceId],
      },
    },
    userAgent: `kubelet/${gitVersion(ctx)}-eks-a737599 (linux/amd64) kubernetes/${GIT_COMMIT}`,
    sourceIP: node.internalIP,
    authorizationReason: '',
  };
}

/**
 * An IAM principal mapped by an EKS access entry: the operator's kubectl, or slbc's own Lambda
 * role writing status. `arn` is the STS assumed-role ARN GetCallerIdentity returns.
 */
export function iamActor(
  ctx: ActorContext,
  arn: string,
  options: { userAgent?: string; sourceIP?: string } = {},
): Actor {
  const match = /^arn:aws[\w-]*:sts::(\d+):assumed-role\/([^/]+)\/(.+)$/.exec(arn);
  const extra: Record<string, string[]> = { arn: [arn] };
  if (match) {
    extra.canonicalArn = [`arn:aws:iam::${match[1]}:role/${match[2]}`];
    extra.sessionName = [match[3] ?? ''];
  }
  return {
    user: {
      username: arn,
      uid: `aws-iam-authenticator:${ctx.account}:${iamUniqueId('AROA', match?.[2] ?? arn)}`,
      groups: ['system:authenticated'],
      extra,
    },
    userAgent: options.userAgent ?? `kubectl/${gitVersion(ctx)} (linux/amd64) kubernetes/${GIT_COMMIT}`,
    sourceIP: options.sourceIP ?? '203.0.113.10',
    authorizationReason:
      'EKS Access Policy: allowed by ClusterRoleBinding "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"',
  };
}
