/**
 * The EKS audit policy as data, evaluated the way the API server does: the first rule that
 * matches decides the level. Kept rule for rule with the published policy, so which requests
 * carry bodies is not a choice the simulator makes call by call but follows from the policy.
 */

export type AuditLevel = 'None' | 'Metadata' | 'Request' | 'RequestResponse';

export interface AuditAttributes {
  username: string;
  groups: readonly string[];
  verb: string;
  /** '' for the core group */
  apiGroup?: string;
  /** e.g. 'pods' */
  resource?: string;
  /** e.g. 'status' */
  subresource?: string;
  namespace?: string;
  name?: string;
  /** set for requests that are not for a resource, e.g. '/version' */
  nonResourceURL?: string;
}

interface ResourceMatch {
  group: string;
  /** 'pods' matches only pods; 'pods/status' only the subresource; absent matches everything */
  resources?: string[];
  resourceNames?: string[];
}

interface PolicyRule {
  level: AuditLevel;
  users?: string[];
  userGroups?: string[];
  verbs?: string[];
  namespaces?: string[];
  resources?: ResourceMatch[];
  nonResourceURLs?: string[];
}

const KNOWN_GROUPS = [
  '',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'apps',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'extensions',
  'metrics.k8s.io',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'scheduling.k8s.io',
  'settings.k8s.io',
  'storage.k8s.io',
].map((group) => ({ group }));

/** aws/aws-eks-best-practices, "Auditing and logging": the policy EKS runs, in order. */
export const EKS_AUDIT_POLICY: readonly PolicyRule[] = [
  {
    level: 'RequestResponse',
    namespaces: ['kube-system'],
    verbs: ['update', 'patch', 'delete'],
    resources: [{ group: '', resources: ['configmaps'], resourceNames: ['aws-auth'] }],
  },
  {
    level: 'None',
    users: ['system:kube-proxy'],
    verbs: ['watch'],
    resources: [{ group: '', resources: ['endpoints', 'services', 'services/status'] }],
  },
  {
    level: 'None',
    users: ['kubelet'],
    verbs: ['get'],
    resources: [{ group: '', resources: ['nodes', 'nodes/status'] }],
  },
  {
    level: 'None',
    userGroups: ['system:nodes'],
    verbs: ['get'],
    resources: [{ group: '', resources: ['nodes', 'nodes/status'] }],
  },
  {
    level: 'None',
    users: [
      'system:kube-controller-manager',
      'system:kube-scheduler',
      'system:serviceaccount:kube-system:endpoint-controller',
    ],
    verbs: ['get', 'update'],
    namespaces: ['kube-system'],
    resources: [{ group: '', resources: ['endpoints'] }],
  },
  {
    level: 'None',
    users: ['system:apiserver'],
    verbs: ['get'],
    resources: [{ group: '', resources: ['namespaces', 'namespaces/status', 'namespaces/finalize'] }],
  },
  {
    level: 'None',
    users: ['system:kube-controller-manager'],
    verbs: ['get', 'list'],
    resources: [{ group: 'metrics.k8s.io' }],
  },
  { level: 'None', nonResourceURLs: ['/healthz*', '/version', '/swagger*'] },
  { level: 'None', resources: [{ group: '', resources: ['events'] }] },
  {
    level: 'Request',
    users: [
      'kubelet',
      'system:node-problem-detector',
      'system:serviceaccount:kube-system:node-problem-detector',
    ],
    verbs: ['update', 'patch'],
    resources: [{ group: '', resources: ['nodes/status', 'pods/status'] }],
  },
  {
    level: 'Request',
    userGroups: ['system:nodes'],
    verbs: ['update', 'patch'],
    resources: [{ group: '', resources: ['nodes/status', 'pods/status'] }],
  },
  {
    level: 'Request',
    users: ['system:serviceaccount:kube-system:namespace-controller'],
    verbs: ['deletecollection'],
  },
  {
    level: 'Metadata',
    resources: [
      { group: '', resources: ['secrets', 'configmaps'] },
      { group: 'authentication.k8s.io', resources: ['tokenreviews'] },
    ],
  },
  { level: 'Request', resources: [{ group: '', resources: ['serviceaccounts/token'] }] },
  { level: 'Request', verbs: ['get', 'list', 'watch'], resources: KNOWN_GROUPS },
  { level: 'RequestResponse', resources: KNOWN_GROUPS },
  { level: 'Metadata' },
];

function matchesResource(rule: PolicyRule, attrs: AuditAttributes): boolean {
  if (attrs.nonResourceURL !== undefined) {
    // A rule naming resources (or namespaces) never matches a non-resource request, and vice versa.
    if (rule.resources || rule.namespaces) return false;
    if (!rule.nonResourceURLs) return true;
    const url = attrs.nonResourceURL;
    return rule.nonResourceURLs.some((p) => (p.endsWith('*') ? url.startsWith(p.slice(0, -1)) : url === p));
  }
  if (rule.nonResourceURLs) return false;
  if (rule.namespaces && !rule.namespaces.includes(attrs.namespace ?? '')) return false;
  if (!rule.resources) return true;
  const combined = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : (attrs.resource ?? '');
  return rule.resources.some(
    (match) =>
      match.group === (attrs.apiGroup ?? '') &&
      (!match.resources || match.resources.includes(combined)) &&
      (!match.resourceNames || match.resourceNames.includes(attrs.name ?? '')),
  );
}

function matches(rule: PolicyRule, attrs: AuditAttributes): boolean {
  if (rule.users && !rule.users.includes(attrs.username)) return false;
  if (rule.userGroups && !rule.userGroups.some((g) => attrs.groups.includes(g))) return false;
  if (rule.verbs && !rule.verbs.includes(attrs.verb)) return false;
  return matchesResource(rule, attrs);
}

export function auditLevel(attrs: AuditAttributes, policy: readonly PolicyRule[] = EKS_AUDIT_POLICY) {
  return policy.find((rule) => matches(rule, attrs))?.level ?? 'None';
}
