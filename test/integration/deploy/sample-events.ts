import {
  type BusEvent,
  CLUSTER_SOURCE,
  type ClusterChangeDetail,
  ClusterChangeDetailSchema,
  CONTRACT_VERSION,
  DETAIL_TYPES,
  type DetailType,
  detailTypeFor,
  INTERNAL_SOURCE,
  ReconcileRequestedDetailSchema,
  TargetGroupBoundDetailSchema,
} from '../../../shared/events/contract.js';

/**
 * One bus event of every detail-type in the contract, each detail validated by the contract's
 * own schema, so the routing tests exercise the events slbc really publishes.
 */

const observedAt = '2026-11-26T10:00:00.000Z';

function clusterChange(
  detail: Omit<ClusterChangeDetail, 'version' | 'cluster' | 'observedAt' | 'auditId' | 'logEventId'>,
) {
  return ClusterChangeDetailSchema.parse({
    version: CONTRACT_VERSION,
    cluster: 'demo',
    observedAt,
    auditId: '7e0c8a54-2f4e-4b8e-9a57-3c1f6f0c2d11',
    logEventId: '37901284756289734598274650981234',
    ...detail,
  });
}

type InternalDetailType = typeof DETAIL_TYPES.TargetGroupBound | typeof DETAIL_TYPES.ReconcileRequested;

const CLUSTER_DETAILS: Record<Exclude<DetailType, InternalDetailType>, ClusterChangeDetail> = {
  [DETAIL_TYPES.Pod]: clusterChange({ kind: 'Pod', namespace: 'shop', name: 'web-1', verb: 'create' }),
  [DETAIL_TYPES.PodStatus]: clusterChange({
    kind: 'Pod',
    namespace: 'shop',
    name: 'web-1',
    uid: 'c0ffee00-0000-4000-8000-000000000001',
    verb: 'patch',
    subresource: 'status',
    patch: { status: { podIP: '10.0.1.17' } },
  }),
  [DETAIL_TYPES.Endpoints]: clusterChange({
    kind: 'Endpoints',
    namespace: 'shop',
    name: 'web',
    verb: 'update',
  }),
  [DETAIL_TYPES.Node]: clusterChange({ kind: 'Node', name: 'ip-10-0-1-5', verb: 'patch' }),
  [DETAIL_TYPES.Service]: clusterChange({ kind: 'Service', namespace: 'shop', name: 'web', verb: 'create' }),
  [DETAIL_TYPES.Ingress]: clusterChange({ kind: 'Ingress', namespace: 'shop', name: 'web', verb: 'update' }),
  [DETAIL_TYPES.IngressClass]: clusterChange({ kind: 'IngressClass', name: 'alb', verb: 'create' }),
};

/** Events slbc raises for itself: stacks announces target groups, resync asks for reconciles. */
const INTERNAL_DETAILS: Record<InternalDetailType, unknown> = {
  [DETAIL_TYPES.TargetGroupBound]: TargetGroupBoundDetailSchema.parse({
    version: CONTRACT_VERSION,
    cluster: 'demo',
    targetGroupArn:
      'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/k8s-shop-web-0123456789/abcdef0123456789',
    stackKey: 'ingress/shop',
    service: { namespace: 'shop', name: 'web', port: 80 },
    targetType: 'ip',
    observedAt,
  }),
  [DETAIL_TYPES.ReconcileRequested]: ReconcileRequestedDetailSchema.parse({
    version: CONTRACT_VERSION,
    cluster: 'demo',
    key: 'stack#demo#ingress/shop',
    reason: 'lease-expired',
    observedAt,
  }),
};

function envelope(source: string, detailType: string, detail: unknown): BusEvent {
  return {
    version: '0',
    id: `sample-${detailType.replaceAll(' ', '-').toLowerCase()}`,
    'detail-type': detailType,
    source,
    account: '123456789012',
    time: observedAt,
    region: 'eu-west-1',
    resources: [],
    detail,
  };
}

export interface SampleEvent {
  detailType: DetailType;
  event: BusEvent;
}

export function sampleEvents(): SampleEvent[] {
  const samples: SampleEvent[] = Object.entries(CLUSTER_DETAILS).map(([detailType, detail]) => {
    // the detail must be one ingest would publish under this detail-type
    if (detailTypeFor(detail) !== detailType)
      throw new Error(`sample for ${detailType} is ${detailTypeFor(detail)}`);
    return { detailType: detailType as DetailType, event: envelope(CLUSTER_SOURCE, detailType, detail) };
  });
  for (const [detailType, detail] of Object.entries(INTERNAL_DETAILS)) {
    samples.push({
      detailType: detailType as DetailType,
      event: envelope(INTERNAL_SOURCE, detailType, detail),
    });
  }
  return samples;
}

/** The same event as an archive replay re-sends it. */
export function replayed(event: BusEvent): BusEvent {
  return { ...event, 'replay-name': 'rebuild-2026-11-26' };
}
