/**
 * The tag scheme: the one place that says which tags mark a resource as slbc's.
 *
 * The first five are the LBC's own keys (pkg/deploy/tracking), so load balancers it made are
 * adopted as they are. `member` is slbc's: it says which Ingress of a group a rule belongs to,
 * which is how a member in error keeps its last applied rules.
 */
export const TAG_KEYS = {
  cluster: 'elbv2.k8s.aws/cluster',
  ingressStack: 'ingress.k8s.aws/stack',
  ingressResource: 'ingress.k8s.aws/resource',
  serviceStack: 'service.k8s.aws/stack',
  serviceResource: 'service.k8s.aws/resource',
  member: 'slbc.k8s.aws/member',
} as const;
