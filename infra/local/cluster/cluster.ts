/**
 * `createCluster`: a simulated EKS cluster on an injectable clock. It wires the store, the
 * audited write path, the controllers (Deployment, ReplicaSet, Endpoints), the scheduler and
 * kubelets, and the CloudWatch Logs subscription delivery of the audit log, and exposes the
 * operator's actions (apply, delete, scale, rollout, kill, node helpers), the data-plane view
 * the local ELBv2 health probe reads (isServing, isInstanceServing), and quiescence signals.
 *
 * Controllers are level-based and run to a fixed point after every action and every timer, so
 * the cluster never holds a half-applied change between two steps of the clock.
 */
import type { Clock, Topology } from '../aws/context.js';
import { ApiServer } from './apiserver.js';
import { type Actor, controllerActor, iamActor, kubeletActor } from './audit/actors.js';
import {
  type BatchOptions,
  type ChaosOptions,
  type DeliveryCounters,
  type DeliveryTiming,
  SubscriptionDelivery,
  type SubscriptionLambdaEvent,
  type SubscriptionSink,
} from './audit/delivery.js';
import { type AuditEvent, AuditWriter } from './audit/event.js';
import { noiseRequest } from './audit/noise.js';
import type { ClusterDelays, SimContext } from './context.js';
import { EndpointsController, resolveTargetPort } from './endpoints.js';
import { SubnetIpam } from './ipam.js';
import { type ApplyResult, Kubectl } from './kubectl.js';
import { type AddNodeOptions, type Ec2Hook, NodePool, type SimNode } from './nodes.js';
import {
  clone,
  type Endpoints,
  isPodReady,
  isTerminating,
  type KubeObject,
  type Node,
  type Pod,
  type ResourceInfo,
  type Service,
} from './objects.js';
import { PodLifecycle } from './pods.js';
import { type Rng, seededRng } from './rng.js';
import { ServiceAllocator } from './services.js';
import { ObjectStore } from './store.js';
import { WorkloadControllers } from './workloads.js';

export interface AuditOptions {
  /** concurrent kube-apiserver-audit streams (default 2) */
  streams?: number;
  batch?: BatchOptions;
  /** batch closed → Lambda invoked (default 1000 ms) */
  deliveryDelayMs?: number;
  /** each payload waits deliveryDelayMs ± up to jitterMs (default 0); a stream stays in order */
  jitterMs?: number;
  chaos?: ChaosOptions;
  /** noise lines per real line on average (default 0) */
  noise?: number;
  /** the subscription filter's name in payloads (default `slbc-audit`) */
  filterName?: string;
  /** lines longer than this lose their bodies, as EKS does past CloudWatch's 1 MB (default 1 MiB - 26) */
  maxEventBytes?: number;
  /** events kept in memory for `auditEvents()` (default 10000) */
  retain?: number;
}

export interface ClusterOptions {
  /** default 'demo' */
  name?: string;
  clock: Clock;
  topology: Topology;
  /** worker nodes to start with (default 3) */
  nodes?: number;
  delays?: Partial<ClusterDelays>;
  /** terminationGracePeriodSeconds for pods that do not set it (default 30) */
  gracePeriodSeconds?: number;
  /** seeds every random choice (default 1) */
  seed?: number;
  /** registers nodes as EC2 instances in the local endpoint */
  ec2?: Ec2Hook;
  audit?: AuditOptions;
  onSubscriptionPayload?: SubscriptionSink;
  /** the operator's kubectl identity (default `arn:aws:sts::<account>:assumed-role/platform-admin/operator`) */
  operatorArn?: string;
}

export interface ClusterSnapshot {
  name: string;
  resourceVersion: string;
  objects: Record<string, number>;
  pods: { byPhase: Record<string, number>; ready: number; terminating: number };
  nodes: SimNode[];
  audit: DeliveryCounters & {
    eventsWritten: number;
    noiseWritten: number;
    bodiesDropped: number;
    pendingLines: number;
  };
  pendingTimers: number;
  settled: boolean;
  errors: string[];
}

export const DEFAULT_DELAYS: Readonly<ClusterDelays> = Object.freeze({
  schedule: 200,
  containerStart: 1500,
  ready: 2000,
  terminate: 1000,
});

export interface SimulatedCluster {
  readonly name: string;
  /** `/aws/eks/<name>/cluster` */
  readonly logGroup: string;
  readonly clock: Clock;
  /** e.g. '1.31', from the topology's cluster seed */
  readonly kubernetesVersion: string;
  apply(manifests: string | unknown): ApplyResult[];
  delete(kind: string, key: string): void;
  get<T extends KubeObject = KubeObject>(kind: string, key: string): T | undefined;
  /**
   * Clones of the objects of `kind` (in `namespace`), in key order; `where` picks them before
   * they are cloned, and must only read the object it is given.
   */
  list<T extends KubeObject = KubeObject>(
    kind: string,
    namespace?: string,
    where?: (object: T) => boolean,
  ): T[];
  /** the newest resourceVersion, as a List reports it */
  resourceVersion(): string;
  addNode(options?: AddNodeOptions): Node;
  cordon(node: string): void;
  uncordon(node: string): void;
  taint(
    node: string,
    taint: { key: string; value?: string; effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' },
  ): void;
  deleteNode(node: string): void;
  nodes(): SimNode[];
  scale(deployment: string, replicas: number): void;
  rollout(deployment: string): void;
  kill(deployment: string, count: number): string[];
  setPodServing(pod: string, serving: boolean): void;
  isServing(ip: string, port: number): boolean;
  isInstanceServing(instanceId: string, nodePort: number): boolean;
  /**
   * PATCH of services/status, ingresses/status or pods/status from an API client; returns the
   * stored object. A pod's kubelet then computes Ready again (readiness gates).
   */
  patchStatus(
    kind: 'Service' | 'Ingress' | 'Pod',
    key: string,
    status: unknown,
    actor: Actor,
    patch?: unknown,
  ): KubeObject;
  /** audits a read made through the HTTP API (EKS logs get/list at Request level) */
  recordRead(
    actor: Actor,
    route: { resource: ResourceInfo; namespace?: string; name?: string; subresource?: string },
    query: string,
  ): void;
  /** identity of an IAM principal as the API sees it (for patchStatus) */
  iamActor(arn: string, options?: { userAgent?: string; sourceIP?: string }): Actor;
  onSubscriptionPayload(sink: SubscriptionSink | undefined): void;
  /** the audit log's lag from now on (`deliveryDelayMs` ± `jitterMs`, clock ms); returns the result */
  setAuditDelivery(timing: Partial<DeliveryTiming>): DeliveryTiming;
  /** payloads delivered while no sink was attached */
  drainPayloads(): SubscriptionLambdaEvent[];
  flushAudit(): Promise<void>;
  /** nothing pending: no timer in the simulator, no audit line waiting, no sink call running */
  settled(): boolean;
  /** resolves when settled (polls real time; with a virtual clock, someone must advance it) */
  idle(options?: { pollMs?: number; timeoutMs?: number }): Promise<void>;
  auditEvents(): AuditEvent[];
  snapshot(): ClusterSnapshot;
  stop(): void;
}

export function createCluster(options: ClusterOptions): SimulatedCluster {
  const name = options.name ?? 'demo';
  const { clock, topology } = options;
  const rng: Rng = seededRng(options.seed ?? 1);
  const store = new ObjectStore();
  const delays: ClusterDelays = { ...DEFAULT_DELAYS, ...options.delays };
  const seed = topology.clusters.find((c) => c.name === name);
  const actors = {
    account: topology.account,
    kubernetesVersion: seed?.version ?? '1.31',
    clusterName: name,
    controlPlaneIP: `172.16.${rng.int(256)}.${1 + rng.int(254)}`,
  };
  const operator = iamActor(
    actors,
    options.operatorArn ?? `arn:aws:sts::${topology.account}:assumed-role/platform-admin/operator`,
  );
  const auditOptions = options.audit ?? {};
  const delivery = new SubscriptionDelivery({
    clock,
    rng: seededRng((options.seed ?? 1) ^ 0x5eed),
    account: topology.account,
    clusterName: name,
    ...(auditOptions.streams !== undefined ? { streams: auditOptions.streams } : {}),
    ...(auditOptions.batch ? { batch: auditOptions.batch } : {}),
    ...(auditOptions.deliveryDelayMs !== undefined ? { deliveryDelayMs: auditOptions.deliveryDelayMs } : {}),
    ...(auditOptions.jitterMs !== undefined ? { jitterMs: auditOptions.jitterMs } : {}),
    ...(auditOptions.chaos ? { chaos: auditOptions.chaos } : {}),
    ...(auditOptions.filterName ? { filterName: auditOptions.filterName } : {}),
  });
  delivery.setSink(options.onSubscriptionPayload);

  const retained: AuditEvent[] = [];
  const counters = { eventsWritten: 0, noiseWritten: 0, bodiesDropped: 0 };
  const errors: string[] = [];
  const maxEventBytes = auditOptions.maxEventBytes ?? 1024 * 1024 - 26;
  // Noise has its own random stream, so turning it on does not change the real events.
  const noiseRng = seededRng((options.seed ?? 1) ^ 0x0150);
  let writingNoise = false;

  const emit = (event: AuditEvent): void => {
    let line = JSON.stringify(event);
    if (Buffer.byteLength(line) > maxEventBytes) {
      const { requestObject: _req, responseObject: _res, ...metadataOnly } = event;
      line = JSON.stringify(metadataOnly);
      counters.bodiesDropped++;
    }
    retained.push(event);
    if (retained.length > (auditOptions.retain ?? 10_000)) retained.shift();
    delivery.add(line, Date.parse(event.stageTimestamp));
    if (writingNoise) {
      counters.noiseWritten++;
      return;
    }
    counters.eventsWritten++;
    const ratio = auditOptions.noise ?? 0;
    if (ratio <= 0) return;
    const lines = Math.floor(ratio) + (noiseRng.chance(ratio % 1) ? 1 : 0);
    writingNoise = true;
    try {
      for (let i = 0; i < lines; i++) {
        const node = pool.all()[noiseRng.int(Math.max(1, pool.all().length))];
        const { actor, request } = noiseRequest(noiseRng, {
          controller: controllerActor(actors, 'deployment-controller'),
          kubelet: node ? kubeletActor(actors, node) : undefined,
          nodeName: node?.name,
        });
        writer.write(actor, request);
      }
    } finally {
      writingNoise = false;
    }
  };
  const writer = new AuditWriter({ clock, rng, emit });

  let stopped = false;
  let dirty = false;
  // Pods nobody could place wait for a Node change (added, uncordoned, untainted) to retry.
  let nodesChanged = false;
  let syncing = false;
  let activeTimers = 0;
  const api = new ApiServer({
    store,
    audit: writer,
    rng,
    now: () => clock.now(),
    changed: (kind) => {
      dirty = true;
      if (kind === 'Node') nodesChanged = true;
    },
  });

  const ctx: SimContext = {
    clock,
    rng,
    store,
    api,
    actors,
    operator,
    delays,
    defaultGracePeriodSeconds: options.gracePeriodSeconds ?? 30,
    after(ms, fn) {
      activeTimers++;
      let done = false;
      const cancel = clock.setTimer(ms, () => {
        if (done || stopped) return;
        done = true;
        activeTimers--;
        try {
          fn();
          scheduleSync();
        } catch (error) {
          errors.push(error instanceof Error ? error.message : String(error));
        }
      });
      return () => {
        if (done) return;
        done = true;
        activeTimers--;
        cancel();
      };
    },
  };

  const ipams = new Map(topology.subnets.map((s) => [s.id, new SubnetIpam(s.id, s.cidr)]));
  const pool = new NodePool(ctx, topology.subnets, ipams, topology.region, options.ec2);
  const pods = new PodLifecycle(ctx, pool);
  const services = new ServiceAllocator(rng);
  const workloads = new WorkloadControllers(ctx, pods);
  const endpoints = new EndpointsController(ctx);
  const kubectl = new Kubectl({ ctx, pods, nodes: pool, services, workloads });

  function sync(): void {
    if (syncing) return;
    syncing = true;
    try {
      for (let pass = 0; pass < 100; pass++) {
        dirty = false;
        if (nodesChanged) {
          nodesChanged = false;
          pods.retryUnscheduled();
        }
        let wrote = workloads.collectOrphans();
        wrote = workloads.sync() || wrote;
        wrote = endpoints.sync() || wrote;
        if (!wrote && !dirty) return;
      }
      errors.push('controllers did not settle after 100 passes');
    } finally {
      syncing = false;
    }
  }

  /**
   * Timer callbacks due at the same instant (a thousand pods started together) share one
   * controller pass, as the real controllers' work queues coalesce events: one Endpoints write
   * for the batch, not one per pod.
   */
  let syncQueued = false;
  function scheduleSync(): void {
    if (syncQueued) return;
    syncQueued = true;
    activeTimers++;
    clock.setTimer(0, () => {
      syncQueued = false;
      activeTimers--;
      if (stopped) return;
      try {
        sync();
      } catch (error) {
        errors.push(error instanceof Error ? error.message : String(error));
      }
    });
  }

  /** Runs an operator action, then lets the controllers react. */
  function act<T>(fn: () => T): T {
    const result = fn();
    sync();
    return result;
  }

  // Bootstrap objects exist before the audit log starts, so they are stored without a line.
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease'])
    api.commit({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: ns,
        uid: rng.uuid(),
        creationTimestamp: new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z'),
      },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  api.commit({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      uid: rng.uuid(),
      labels: { component: 'apiserver', provider: 'kubernetes' },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: '172.20.0.1',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 443 }],
    },
  });
  for (let i = 0; i < (options.nodes ?? 3); i++) pool.add();
  sync();

  const podByKey = (key: string): Pod => {
    const pod = store.get<Pod>('Pod', key);
    if (!pod) throw new Error(`Pod ${key} not found`);
    return pod;
  };

  return {
    name,
    logGroup: delivery.logGroup,
    clock,
    kubernetesVersion: actors.kubernetesVersion,
    apply: (manifests) => act(() => kubectl.apply(manifests)),
    delete: (kind, key) => act(() => kubectl.delete(kind, key)),
    get: <T extends KubeObject>(kind: string, key: string) => {
      const object = store.get<T>(kind, key);
      return object ? clone(object) : undefined;
    },
    list: <T extends KubeObject>(kind: string, namespace?: string, where?: (object: T) => boolean) =>
      (where === undefined
        ? store.list<T>(kind, namespace)
        : store.list<T>(kind, namespace).filter(where)
      ).map(clone),
    resourceVersion: () => store.resourceVersion,
    addNode: (nodeOptions) => act(() => pool.add(nodeOptions)),
    cordon: (node) => act(() => void pool.cordon(node, true)),
    uncordon: (node) => act(() => void pool.cordon(node, false)),
    taint: (node, taint) => act(() => void pool.taint(node, taint)),
    deleteNode: (node) => act(() => kubectl.delete('Node', node)),
    nodes: () => pool.all(),
    scale: (key, replicas) => act(() => kubectl.scale(key, replicas)),
    rollout: (key) => act(() => kubectl.rollout(key)),
    kill: (key, count) => act(() => kubectl.kill(key, count)),
    setPodServing: (key, serving) => pods.setServing(podByKey(key).metadata.uid as string, serving),
    isServing: (ip, port) => pods.isServing(ip, port),
    isInstanceServing(instanceId, nodePort) {
      const info = pool.byInstanceId(instanceId);
      const node = info && store.get<Node>('Node', info.name);
      if (!info || !node || node.status.conditions.some((c) => c.type === 'Ready' && c.status !== 'True'))
        return false;
      for (const service of store.list<Service>('Service')) {
        const port = service.spec.ports?.find((p) => p.nodePort === nodePort);
        if (!port) continue;
        const local = service.spec.externalTrafficPolicy === 'Local';
        const eps = store.get<Endpoints>(
          'Endpoints',
          `${service.metadata.namespace}/${service.metadata.name}`,
        );
        for (const subset of eps?.subsets ?? [])
          for (const address of subset.addresses ?? []) {
            if (local && address.nodeName !== info.name) continue;
            const pod = store.get<Pod>('Pod', `${address.targetRef.namespace}/${address.targetRef.name}`);
            const target = pod && resolveTargetPort(port, pod);
            if (target !== undefined && pods.isServing(address.ip, target)) return true;
          }
      }
      return false;
    },
    patchStatus(kind, key, status, actor, patch) {
      return act(() => {
        const current = store.get<KubeObject>(kind, key);
        if (!current) throw new Error(`${kind} ${key} not found`);
        const next = clone(current);
        next.status = status;
        const stored = api.update(actor, next, {
          verb: 'patch',
          subresource: 'status',
          requestObject: patch ?? { status },
        });
        if (kind === 'Pod') pods.reconcileReadiness(stored.metadata.uid as string);
        return clone(stored);
      });
    },
    recordRead(actor, route, query) {
      api.record(actor, {
        verb: route.name === undefined ? 'list' : 'get',
        resource: route.resource,
        namespace: route.namespace,
        name: route.name,
        ...(route.subresource !== undefined ? { subresource: route.subresource } : {}),
        ...(query ? { query } : {}),
      });
    },
    iamActor: (arn, actorOptions) => iamActor(actors, arn, actorOptions),
    onSubscriptionPayload: (sink) => delivery.setSink(sink),
    setAuditDelivery(timing) {
      delivery.setTiming(timing);
      return delivery.currentTiming();
    },
    drainPayloads: () => delivery.drainOutbox(),
    flushAudit: () => delivery.flush(),
    settled: () => activeTimers === 0 && delivery.isIdle(),
    async idle({ pollMs = 10, timeoutMs } = {}) {
      const started = Date.now();
      while (!(activeTimers === 0 && delivery.isIdle())) {
        if (timeoutMs !== undefined && Date.now() - started > timeoutMs)
          throw new Error(
            `cluster ${name} not idle after ${timeoutMs} ms (${activeTimers} timers, ${delivery.pendingLines()} audit lines pending)`,
          );
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    },
    auditEvents: () => [...retained],
    snapshot() {
      const objects: Record<string, number> = {};
      for (const kind of store.kinds()) objects[kind] = store.list(kind).length;
      const byPhase: Record<string, number> = {};
      let ready = 0;
      let terminating = 0;
      for (const pod of store.list<Pod>('Pod')) {
        byPhase[pod.status.phase] = (byPhase[pod.status.phase] ?? 0) + 1;
        if (isPodReady(pod)) ready++;
        if (isTerminating(pod)) terminating++;
      }
      return {
        name,
        resourceVersion: store.resourceVersion,
        objects,
        pods: { byPhase, ready, terminating },
        nodes: pool.all(),
        audit: { ...delivery.counters, ...counters, pendingLines: delivery.pendingLines() },
        pendingTimers: activeTimers,
        settled: activeTimers === 0 && delivery.isIdle(),
        errors: [...errors],
      };
    },
    stop() {
      stopped = true;
      delivery.stop();
    },
  };
}
