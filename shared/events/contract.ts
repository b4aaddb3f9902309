import { KINDS, VERBS } from '../k8s/objects.js';

export { VERBS, type Verb } from '../k8s/objects.js';

import * as z from '../zod.js';

/**
 * The event contract: every event slbc puts on its bus. Consumers route on `source` and
 * `detail-type` (the EventBridge rules in serverless.yml) and validate `detail` with these
 * schemas. `detail.version` is bumped on any incompatible change; consumers accept only the
 * versions they know and record the rest as errors rather than guessing.
 */

/** Normalised Kubernetes changes, produced by functions/ingest from the EKS audit log. */
export const CLUSTER_SOURCE = 'slbc.cluster';
/** Events slbc raises for itself (stacks -> targets). */
export const INTERNAL_SOURCE = 'slbc.internal';

export const DETAIL_TYPES = {
  Pod: 'Pod Changed',
  PodStatus: 'Pod Status Patched',
  Endpoints: 'Endpoints Changed',
  Node: 'Node Changed',
  Service: 'Service Changed',
  Ingress: 'Ingress Changed',
  IngressClass: 'IngressClass Changed',
  TargetGroupBound: 'Target Group Bound',
  ReconcileRequested: 'Reconcile Requested',
} as const;
export type DetailType = (typeof DETAIL_TYPES)[keyof typeof DETAIL_TYPES];

/** Which function each detail-type is routed to. serverless.yml's rules are tested against this. */
export const ROUTES = {
  targets: [
    DETAIL_TYPES.Pod,
    DETAIL_TYPES.PodStatus,
    DETAIL_TYPES.Endpoints,
    DETAIL_TYPES.Node,
    DETAIL_TYPES.Service,
    DETAIL_TYPES.TargetGroupBound,
    DETAIL_TYPES.ReconcileRequested,
  ],
  stacks: [
    DETAIL_TYPES.Ingress,
    DETAIL_TYPES.Service,
    DETAIL_TYPES.IngressClass,
    DETAIL_TYPES.ReconcileRequested,
  ],
} as const satisfies Record<string, readonly DetailType[]>;

export const CONTRACT_VERSION = 1;

export const ClusterChangeDetailSchema = z.object({
  version: z.literal(CONTRACT_VERSION),
  cluster: z.string().check(z.minLength(1)),
  kind: z.enum(KINDS),
  namespace: z.optional(z.string()),
  /** empty for a deletecollection, which names no single object */
  name: z.string(),
  uid: z.optional(z.string()),
  resourceVersion: z.optional(z.string()),
  verb: z.enum(VERBS),
  /** `status` for pods/status, services/status, ingresses/status */
  subresource: z.optional(z.string()),
  /** the audit event's stageTimestamp: when the API server finished the write */
  observedAt: z.string(),
  auditId: z.string(),
  logEventId: z.string(),
  /** the object after the write, trimmed by the shared/k8s/objects schemas */
  object: z.optional(z.record(z.string(), z.unknown())),
  /** for a kubelet pods/status patch: the partial status, merged by pod uid downstream */
  patch: z.optional(z.record(z.string(), z.unknown())),
  /** true when the object was too large (or absent): consumers must refetch it (resync) */
  needsResync: z.optional(z.boolean()),
});
export type ClusterChangeDetail = z.infer<typeof ClusterChangeDetailSchema>;

export const TargetGroupBoundDetailSchema = z.object({
  version: z.literal(CONTRACT_VERSION),
  cluster: z.string().check(z.minLength(1)),
  targetGroupArn: z.string().check(z.minLength(1)),
  /** the stack that owns the target group: `ingress/<group>` or `service/<ns>/<name>` */
  stackKey: z.string().check(z.minLength(1)),
  service: z.object({
    namespace: z.string(),
    name: z.string(),
    /** a port name or number, as the Ingress or Service names it */
    port: z.union([z.string(), z.number()]),
  }),
  targetType: z.enum(['ip', 'instance']),
  observedAt: z.string(),
});
export type TargetGroupBoundDetail = z.infer<typeof TargetGroupBoundDetailSchema>;

/**
 * Asks the owner of a work-queue key to reconcile it: resync raises it for keys it found dirty
 * or whose lease expired, and an operator can raise it by hand. Both targets and stacks receive
 * it; each works only the keys it owns (`tg#...` for targets, `stack#...` for stacks), so the
 * rules stay plain detail-type routes and resync needs no ELBv2 permissions.
 */
export const ReconcileRequestedDetailSchema = z.object({
  version: z.literal(CONTRACT_VERSION),
  cluster: z.string().check(z.minLength(1)),
  /** a work-queue key, e.g. `tg#arn:aws:elasticloadbalancing:...` or `stack#demo#ingress/web` */
  key: z.string().check(z.minLength(1)),
  /** `retry`: a key that settled with a permanent error whose backoff passed (shared/reconcile/backoff.ts) */
  reason: z.enum(['resync', 'lease-expired', 'operator', 'retry']),
  observedAt: z.string(),
});
export type ReconcileRequestedDetail = z.infer<typeof ReconcileRequestedDetailSchema>;

/** detail-type for a cluster change: pods/status patches get their own, everything else by kind. */
export function detailTypeFor(
  detail: Pick<ClusterChangeDetail, 'kind' | 'subresource' | 'patch'>,
): DetailType {
  if (detail.kind === 'Pod' && detail.subresource === 'status' && detail.patch !== undefined) {
    return DETAIL_TYPES.PodStatus;
  }
  return DETAIL_TYPES[detail.kind];
}

/** The EventBridge envelope as a Lambda target receives it (and as the local bus delivers it). */
export interface BusEvent<D = unknown> {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: D;
  'replay-name'?: string;
}
