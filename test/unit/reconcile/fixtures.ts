import type { BusEvent } from '../../../shared/events/contract.js';
import { type State, stateOver } from '../../../shared/state/index.js';
import { memoryStore } from '../../support/memory-store.js';

export const CLUSTER = 'demo';

/** State over the in-memory store, on a fixed clock. */
export function memoryState(now = () => 1_800_000_000_000): State {
  return stateOver(memoryStore(), { now });
}

/** The deployment defaults (serverless.yml's parameters) for one cluster, as the functions load them. */
export const testConfig = {
  clusters: [CLUSTER],
  leaseSeconds: 60,
  ingressClass: 'alb',
  defaultTargetType: 'instance',
  defaultScheme: 'internal',
  serviceClaim: 'all',
  groupNamespaces: 'same',
  defaultTags: {},
  clusterSettings: {},
} as const;

export const quietLogger = { info() {}, warn() {}, error() {}, debug() {} };

/** Counts metrics by name. */
export function countingMetrics() {
  const counts: Record<string, number> = {};
  return {
    counts,
    addMetric(name: string, _unit: unknown, value: number) {
      counts[name] = (counts[name] ?? 0) + value;
    },
  };
}

let seq = 0;

/** A `<Kind> Changed` event carrying `object`, with a fresh resourceVersion. */
export function changeEvent(
  kind: 'Ingress' | 'Service' | 'IngressClass' | 'Pod' | 'Endpoints' | 'Node',
  object: { metadata: { name: string; namespace?: string } } & Record<string, unknown>,
  verb: 'create' | 'update' | 'delete' = 'update',
): BusEvent {
  seq += 1;
  const resourceVersion = String(1000 + seq);
  const uid = `uid-${kind}-${object.metadata.name}`;
  return {
    version: '0',
    id: `event-${seq}`,
    'detail-type': `${kind} Changed`,
    source: 'slbc.cluster',
    account: '000000000000',
    time: '2027-01-15T08:00:00Z',
    region: 'eu-west-1',
    resources: [],
    detail: {
      version: 1,
      cluster: CLUSTER,
      kind,
      ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
      name: object.metadata.name,
      uid,
      resourceVersion,
      verb,
      observedAt: `2027-01-15T08:00:${String(seq % 60).padStart(2, '0')}.000000Z`,
      auditId: `audit-${seq}`,
      logEventId: `log-${seq}`,
      object: { ...object, metadata: { ...object.metadata, uid, resourceVersion } },
    },
  } as BusEvent;
}
