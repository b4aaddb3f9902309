import { createHash } from 'node:crypto';
import type { BusEvent, ClusterChangeDetail } from '../../../shared/events/contract.js';
import { CLUSTER_SOURCE, detailTypeFor } from '../../../shared/events/contract.js';

/**
 * Event streams as functions/ingest would publish them, for the targets tests and the
 * benchmark: a Service with its pods, then a rolling update (maxSurge 25%, maxUnavailable 0).
 * Every write gets the next resourceVersion and a later stageTimestamp, like a real API server.
 */
export const CLUSTER = 'demo';
export const NAMESPACE = 'web';
export const SERVICE = 'web';

export class StreamBuilder {
  private rv = 1000;
  private ms: number;
  private seq = 0;
  readonly events: BusEvent<ClusterChangeDetail>[] = [];

  constructor(startMs = Date.parse('2025-06-01T10:00:00Z')) {
    this.ms = startMs;
  }

  emit(
    kind: ClusterChangeDetail['kind'],
    verb: ClusterChangeDetail['verb'],
    name: string,
    body: {
      object?: Record<string, unknown>;
      patch?: Record<string, unknown>;
      uid?: string;
      namespace?: string | null;
    },
  ): BusEvent<ClusterChangeDetail> {
    this.rv += 1;
    this.ms += 10;
    this.seq += 1;
    const observedAt = new Date(this.ms).toISOString().replace('Z', '000Z');
    const namespace = body.namespace === null ? undefined : (body.namespace ?? NAMESPACE);
    const object = body.object === undefined ? undefined : withVersion(body.object, String(this.rv));
    const detail: ClusterChangeDetail = {
      version: 1,
      cluster: CLUSTER,
      kind,
      ...(namespace === undefined ? {} : { namespace }),
      name,
      ...(body.uid === undefined ? {} : { uid: body.uid }),
      ...(body.patch === undefined ? { resourceVersion: String(this.rv) } : {}),
      verb,
      ...(body.patch === undefined ? {} : { subresource: 'status', patch: body.patch }),
      observedAt,
      auditId: `audit-${this.seq}`,
      logEventId: `log-${this.seq}`,
      ...(object === undefined ? {} : { object }),
    };
    const event: BusEvent<ClusterChangeDetail> = {
      version: '0',
      id: `event-${this.seq}`,
      'detail-type': detailTypeFor(detail),
      source: CLUSTER_SOURCE,
      account: '000000000000',
      time: observedAt,
      region: 'eu-west-1',
      resources: [],
      detail,
    };
    this.events.push(event);
    return event;
  }
}

function withVersion(object: Record<string, unknown>, rv: string): Record<string, unknown> {
  const metadata = (object['metadata'] ?? {}) as Record<string, unknown>;
  return { ...object, metadata: { ...metadata, resourceVersion: rv } };
}

export interface PodInfo {
  name: string;
  uid: string;
  ip: string;
}

function podObject(pod: PodInfo, phase: string, ready: boolean, deleting = false): Record<string, unknown> {
  return {
    metadata: {
      name: pod.name,
      namespace: NAMESPACE,
      uid: pod.uid,
      labels: { app: SERVICE },
      ...(deleting ? { deletionTimestamp: '2025-06-01T10:00:00Z' } : {}),
    },
    spec: {
      nodeName: 'node-1',
      containers: [{ name: 'app', ports: [{ name: 'http', containerPort: 8080 }] }],
    },
    status: {
      phase,
      ...(pod.ip === '' ? {} : { podIP: pod.ip }),
      conditions: [
        { type: 'Ready', status: ready ? 'True' : 'False' },
        { type: 'ContainersReady', status: ready ? 'True' : 'False' },
      ],
    },
  };
}

/** 10.0.16.0/20 is a private subnet of the local topology, so the IPs are valid targets. */
export function podIp(index: number): string {
  return `10.0.${16 + Math.floor(index / 250)}.${(index % 250) + 1}`;
}

export class ServiceWorld {
  readonly stream: StreamBuilder;
  private ready: PodInfo[] = [];
  private counter = 0;

  constructor(stream = new StreamBuilder()) {
    this.stream = stream;
  }

  get readyPods(): readonly PodInfo[] {
    return this.ready;
  }

  createService(): void {
    this.stream.emit('Node', 'create', 'node-1', {
      namespace: null,
      object: {
        metadata: { name: 'node-1', labels: {} },
        spec: { providerID: 'aws:///eu-west-1a/i-0000000000000001' },
        status: { conditions: [{ type: 'Ready', status: 'True' }] },
      },
    });
    this.stream.emit('Service', 'create', SERVICE, {
      object: {
        metadata: { name: SERVICE, namespace: NAMESPACE, uid: 'svc-uid' },
        spec: {
          type: 'ClusterIP',
          selector: { app: SERVICE },
          ports: [{ name: 'http', port: 80, targetPort: 'http' }],
        },
      },
    });
    this.emitEndpoints();
  }

  newPod(): PodInfo {
    const index = this.counter++;
    // uids are random in a real cluster: keep them incompressible so write units are honest
    const hex = createHash('sha256').update(`pod-${index}`).digest('hex');
    const uid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
    return { name: `web-7d9f8c6b5-${hex.slice(32, 37)}`, uid, ip: podIp(index) };
  }

  /** create → scheduled with an IP → Ready → added to Endpoints. Returns the Ready event. */
  startPod(pod: PodInfo): BusEvent<ClusterChangeDetail> {
    this.stream.emit('Pod', 'create', pod.name, {
      uid: pod.uid,
      object: podObject({ ...pod, ip: '' }, 'Pending', false),
    });
    this.stream.emit('Pod', 'patch', pod.name, {
      uid: pod.uid,
      patch: { status: { phase: 'Running', podIP: pod.ip, podIPs: [{ ip: pod.ip }] } },
    });
    const readyEvent = this.stream.emit('Pod', 'patch', pod.name, {
      uid: pod.uid,
      patch: {
        status: {
          conditions: [
            { type: 'ContainersReady', status: 'True' },
            { type: 'Ready', status: 'True' },
          ],
        },
      },
    });
    this.ready.push(pod);
    this.emitEndpoints();
    return readyEvent;
  }

  /** terminating → out of Endpoints → not ready → deleted. */
  stopPod(pod: PodInfo): void {
    this.stream.emit('Pod', 'update', pod.name, {
      uid: pod.uid,
      object: podObject(pod, 'Running', true, true),
    });
    this.ready = this.ready.filter((p) => p.uid !== pod.uid);
    this.emitEndpoints();
    this.stream.emit('Pod', 'patch', pod.name, {
      uid: pod.uid,
      patch: { status: { conditions: [{ type: 'Ready', status: 'False' }] } },
    });
    this.stream.emit('Pod', 'delete', pod.name, {
      uid: pod.uid,
      object: podObject(pod, 'Running', false, true),
    });
  }

  emitEndpoints(): void {
    this.stream.emit('Endpoints', 'update', SERVICE, {
      object: {
        metadata: { name: SERVICE, namespace: NAMESPACE },
        subsets:
          this.ready.length === 0
            ? []
            : [
                {
                  addresses: this.ready.map((p) => ({
                    ip: p.ip,
                    nodeName: 'node-1',
                    targetRef: { kind: 'Pod', namespace: NAMESPACE, name: p.name, uid: p.uid },
                  })),
                  ports: [{ name: 'http', port: 8080 }],
                },
              ],
      },
    });
  }
}

/**
 * A Deployment of `replicas` pods, then a rolling update of all of them with maxSurge 25% and
 * maxUnavailable 0: up to `surge` new pods start, and each that turns Ready lets one old pod go.
 */
/** `startMs`: when the stream begins (an old one is a late or replayed change to slbc) */
export function rollingUpdate(
  replicas: number,
  startMs?: number,
): {
  setup: BusEvent<ClusterChangeDetail>[];
  rollout: BusEvent<ClusterChangeDetail>[];
  readyEvents: Map<string, BusEvent<ClusterChangeDetail>>;
  finalTargets: string[];
} {
  const world = new ServiceWorld(new StreamBuilder(startMs));
  world.createService();
  for (let i = 0; i < replicas; i += 1) world.startPod(world.newPod());
  const setupCount = world.stream.events.length;
  const old = [...world.readyPods];
  const surge = Math.max(1, Math.ceil(replicas * 0.25));
  const readyEvents = new Map<string, BusEvent<ClusterChangeDetail>>();
  let started = 0;
  while (started < replicas) {
    const wave = Array.from({ length: Math.min(surge, replicas - started) }, () => world.newPod());
    started += wave.length;
    for (const pod of wave) {
      readyEvents.set(pod.ip, world.startPod(pod));
      const leaving = old.shift();
      if (leaving !== undefined) world.stopPod(leaving);
    }
  }
  return {
    setup: world.stream.events.slice(0, setupCount),
    rollout: world.stream.events.slice(setupCount),
    readyEvents,
    finalTargets: world.readyPods.map((p) => `${p.ip}:8080`).sort(),
  };
}
