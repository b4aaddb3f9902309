/**
 * Pod lifecycle: the scheduler binds, the kubelet starts containers, reports readiness and
 * runs termination, each step after its configured delay. Status changes are sent as the
 * kubelet sends them: a strategic-merge patch of pods/status holding only what changed, keyed
 * by metadata.uid. Pod IPs come from the node's subnet (VPC CNI style) and go back to it when
 * the pod is gone. Per-pod runtime facts that are not API state (timers, the serving flag)
 * live here, keyed by uid.
 */
import { resourceOf } from './apiserver.js';
import type { Actor } from './audit/actors.js';
import { controllerActor, kubeletActor, schedulerActor } from './audit/actors.js';
import type { SimContext } from './context.js';
import type { SubnetIpam } from './ipam.js';
import type { NodePool, SimNode } from './nodes.js';
import {
  clone,
  formatTime,
  isTerminating,
  keyOf,
  type Node,
  type Pod,
  type PodCondition,
  type PodStatus,
} from './objects.js';
import { twoWayMergePatch } from './patch.js';
import { readyCondition, terminationPlan } from './pod-spec.js';

export type PodStage = 'pending' | 'scheduled' | 'running' | 'ready' | 'terminating' | 'exited';

interface PodRuntime {
  uid: string;
  key: string;
  stage: PodStage;
  serving: boolean;
  /** SIGTERM delivered (after preStop): the app answers no more while it exits */
  stopped: boolean;
  timers: (() => void)[];
}

const CONDITION_ORDER = [
  'PodReadyToStartContainers',
  'Initialized',
  'Ready',
  'ContainersReady',
  'PodScheduled',
];

function condition(
  type: string,
  status: boolean,
  time: string,
  reason?: string,
  message?: string,
): PodCondition {
  const c: PodCondition = {
    type,
    status: status ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: time,
  };
  if (reason !== undefined) c.reason = reason;
  if (message !== undefined) c.message = message;
  return c;
}

/**
 * Sets conditions by type, keeping lastTransitionTime when the status did not change. The
 * kubelet's own types come in their usual order; others (readiness gates) follow in theirs.
 */
function withConditions(status: PodStatus, updates: PodCondition[]): PodCondition[] {
  const byType = new Map((status.conditions ?? []).map((c) => [c.type, c]));
  for (const update of updates) {
    const before = byType.get(update.type);
    byType.set(
      update.type,
      before && before.status === update.status
        ? { ...update, lastTransitionTime: before.lastTransitionTime }
        : update,
    );
  }
  const known = CONDITION_ORDER.flatMap((type) =>
    byType.has(type) ? [byType.get(type) as PodCondition] : [],
  );
  const others = [...byType.values()].filter((c) => !CONDITION_ORDER.includes(c.type));
  return [...known, ...others];
}

function tolerates(pod: Pod, taint: { key: string; value?: string; effect: string }): boolean {
  const tolerations = (pod.spec.tolerations ?? []) as {
    key?: string;
    operator?: string;
    value?: string;
    effect?: string;
  }[];
  return tolerations.some(
    (t) =>
      (t.effect === undefined || t.effect === '' || t.effect === taint.effect) &&
      (t.operator === 'Exists'
        ? t.key === undefined || t.key === taint.key
        : t.key === taint.key && t.value === taint.value),
  );
}

export class PodLifecycle {
  private readonly runtimes = new Map<string, PodRuntime>();
  private readonly byIp = new Map<string, { uid: string; ipam: SubnetIpam }>();
  private nextNode = 0;

  constructor(
    private readonly ctx: SimContext,
    private readonly nodes: NodePool,
  ) {}

  /** Creates a pod (from a ReplicaSet or a bare manifest) and queues it for scheduling. */
  create(actor: Actor, pod: Pod, options: { query?: string; requestObject?: unknown } = {}): Pod {
    const created = this.ctx.api.create(actor, pod, {
      ...options,
      annotations: { 'pod-security.kubernetes.io/enforce-policy': 'privileged:latest' },
    });
    const uid = created.metadata.uid as string;
    this.runtimes.set(uid, {
      uid,
      key: keyOf(created.metadata),
      stage: 'pending',
      serving: true,
      stopped: false,
      timers: [],
    });
    this.queueScheduling(uid);
    return created;
  }

  stage(uid: string): PodStage | undefined {
    return this.runtimes.get(uid)?.stage;
  }

  setServing(uid: string, serving: boolean): void {
    const runtime = this.runtimes.get(uid);
    if (runtime) runtime.serving = serving;
  }

  /** true when a pod owns `ip`, its containers run, it serves, and (if it declares ports) `port` is one of them */
  isServing(ip: string, port: number): boolean {
    const owner = this.byIp.get(ip);
    const runtime = owner === undefined ? undefined : this.runtimes.get(owner.uid);
    if (!runtime?.serving || runtime.stopped) return false;
    if (runtime.stage !== 'running' && runtime.stage !== 'ready' && runtime.stage !== 'terminating')
      return false;
    const pod = this.ctx.store.get<Pod>('Pod', runtime.key);
    if (!pod) return false;
    const declared = pod.spec.containers.flatMap((c) => c.ports ?? []);
    return declared.length === 0 || declared.some((p) => p.containerPort === port);
  }

  /** Pods the scheduler could not place yet get another try (a node was added or uncordoned). */
  retryUnscheduled(): void {
    for (const runtime of this.runtimes.values())
      if (runtime.stage === 'pending' && runtime.timers.length === 0) this.queueScheduling(runtime.uid);
  }

  /**
   * Deletes a pod as `actor` would: gracefully (deletionTimestamp, Ready=False at once, gone
   * once the containers exit) or, with grace 0, at once (a force delete).
   */
  delete(actor: Actor, pod: Pod, graceSeconds?: number): void {
    const uid = pod.metadata.uid as string;
    const runtime = this.runtimes.get(uid);
    if (isTerminating(pod) && graceSeconds !== 0) return;
    const grace =
      graceSeconds ?? pod.spec.terminationGracePeriodSeconds ?? this.ctx.defaultGracePeriodSeconds;
    const options: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
    if (graceSeconds !== undefined) options.gracePeriodSeconds = graceSeconds;
    options.propagationPolicy = 'Background';
    // A pod no kubelet has picked up, or a forced delete, goes at once.
    if (grace === 0 || !pod.spec.nodeName || !runtime) {
      this.ctx.api.delete(actor, pod, options);
      this.forget(uid);
      return;
    }
    this.cancelTimers(runtime);
    const marked = this.ctx.api.deleteGracefully(actor, pod, grace, options);
    runtime.stage = 'terminating';
    const node = this.nodes.info(marked.spec.nodeName as string);
    // The kubelet sees the deletion, sends SIGTERM and reports the containers not ready.
    runtime.timers.push(
      this.ctx.after(0, () => {
        const current = this.current(runtime);
        if (!current || !node) return;
        const time = formatTime(this.ctx.clock.now());
        const message = `containers with unready status: [${current.spec.containers.map((c) => c.name).join(' ')}]`;
        const status = clone(current.status);
        status.conditions = withConditions(status, [
          condition('Ready', false, time, 'ContainersNotReady', message),
          condition('ContainersReady', false, time, 'ContainersNotReady', message),
        ]);
        status.containerStatuses = status.containerStatuses?.map((c) => ({ ...c, ready: false }));
        this.patchStatus(node, current, status);
      }),
    );
    // preStop runs while the pod keeps serving; SIGTERM then stops it answering; it exits
    // after the terminate delay; the grace period bounds all of it.
    const plan = terminationPlan(marked, grace, this.ctx.delays.terminate);
    if (plan.preStopMs === 0) runtime.stopped = true;
    else
      runtime.timers.push(
        this.ctx.after(plan.preStopMs, () => {
          runtime.stopped = true;
        }),
      );
    runtime.timers.push(this.ctx.after(plan.exitMs, () => this.finish(runtime, node)));
  }

  /**
   * The kubelet's status manager after someone else wrote the pod's status (a readiness gate
   * set through pods/status): Ready is computed again and patched when it changed.
   */
  reconcileReadiness(uid: string): void {
    const runtime = this.runtimes.get(uid);
    if (runtime?.stage !== 'ready') return;
    const cancel = this.ctx.after(0, () => {
      runtime.timers = runtime.timers.filter((t) => t !== cancel);
      const pod = this.current(runtime);
      if (!pod || isTerminating(pod) || runtime.stage !== 'ready' || !pod.spec.nodeName) return;
      const node = this.nodes.info(pod.spec.nodeName);
      if (!node) return;
      const time = formatTime(this.ctx.clock.now());
      const status = clone(pod.status);
      status.conditions = withConditions(status, [readyCondition(pod, status, true, time, '')]);
      this.patchStatus(node, pod, status);
    });
    runtime.timers.push(cancel);
  }

  /** Everything on a node that went away: the pod GC force-deletes its pods. */
  evictNode(nodeName: string): void {
    const gc = controllerActor(this.ctx.actors, 'pod-garbage-collector');
    for (const pod of this.ctx.store.list<Pod>('Pod'))
      if (pod.spec.nodeName === nodeName) this.delete(gc, pod, 0);
  }

  private queueScheduling(uid: string): void {
    const runtime = this.runtimes.get(uid);
    if (!runtime) return;
    const cancel = this.ctx.after(this.ctx.delays.schedule, () => {
      runtime.timers = runtime.timers.filter((t) => t !== cancel);
      this.bind(runtime);
    });
    runtime.timers.push(cancel);
  }

  /** Round-robin over schedulable nodes whose taints the pod tolerates. */
  private pickNode(pod: Pod): Node | undefined {
    const candidates = this.ctx.store
      .list<Node>('Node')
      .filter((n) => this.nodes.isSchedulable(n))
      .filter((n) =>
        (n.spec.taints ?? []).every((t) => t.effect === 'PreferNoSchedule' || tolerates(pod, t)),
      );
    if (candidates.length === 0) return undefined;
    return candidates[this.nextNode++ % candidates.length];
  }

  private bind(runtime: PodRuntime): void {
    const pod = this.current(runtime);
    if (!pod || isTerminating(pod)) return;
    const node = this.pickNode(pod);
    if (!node) return; // stays Pending; retried when nodes change
    const info = this.nodes.info(node.metadata.name) as SimNode;
    this.ctx.api.record(schedulerActor(this.ctx.actors), {
      verb: 'create',
      resource: resourceOf('Pod'),
      namespace: pod.metadata.namespace,
      name: pod.metadata.name,
      subresource: 'binding',
      requestObject: {
        kind: 'Binding',
        apiVersion: 'v1',
        metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid },
        target: { kind: 'Node', name: node.metadata.name },
      },
      responseObject: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 },
      code: 201,
    });
    const time = formatTime(this.ctx.clock.now());
    const bound = clone(pod);
    bound.spec.nodeName = node.metadata.name;
    bound.status.conditions = withConditions(bound.status, [condition('PodScheduled', true, time)]);
    this.ctx.api.commit(bound);
    runtime.stage = 'scheduled';

    // The kubelet admits the pod: Pending, containers being created.
    const message = `containers with unready status: [${pod.spec.containers.map((c) => c.name).join(' ')}]`;
    const admitted = clone(bound.status);
    admitted.hostIP = info.internalIP;
    admitted.hostIPs = [{ ip: info.internalIP }];
    admitted.startTime = time;
    admitted.conditions = withConditions(admitted, [
      condition('PodReadyToStartContainers', false, time),
      condition('Initialized', true, time),
      condition('Ready', false, time, 'ContainersNotReady', message),
      condition('ContainersReady', false, time, 'ContainersNotReady', message),
    ]);
    admitted.containerStatuses = pod.spec.containers.map((c) => ({
      image: c.image ?? 'busybox',
      imageID: '',
      lastState: {},
      name: c.name,
      ready: false,
      restartCount: 0,
      started: false,
      state: { waiting: { reason: 'ContainerCreating' } },
    }));
    this.patchStatus(info, bound, admitted);
    const cancel = this.ctx.after(this.ctx.delays.containerStart, () => {
      runtime.timers = runtime.timers.filter((t) => t !== cancel);
      this.start(runtime, info);
    });
    runtime.timers.push(cancel);
  }

  private start(runtime: PodRuntime, node: SimNode): void {
    const pod = this.current(runtime);
    if (!pod || isTerminating(pod)) return;
    const ipam = this.nodes.ipam(node);
    const ip = ipam.allocate();
    this.byIp.set(ip, { uid: runtime.uid, ipam });
    const time = formatTime(this.ctx.clock.now());
    const readyNow = this.ctx.delays.ready === 0;
    const status = clone(pod.status);
    status.phase = 'Running';
    status.podIP = ip;
    status.podIPs = [{ ip }];
    const message = `containers with unready status: [${pod.spec.containers.map((c) => c.name).join(' ')}]`;
    status.conditions = withConditions(status, [
      condition('PodReadyToStartContainers', true, time),
      readyCondition(pod, status, readyNow, time, message),
      readyNow
        ? condition('ContainersReady', true, time)
        : condition('ContainersReady', false, time, 'ContainersNotReady', message),
    ]);
    status.containerStatuses = pod.spec.containers.map((c) => ({
      containerID: `containerd://${this.ctx.rng.hex(64)}`,
      image: c.image ?? 'busybox',
      imageID: `${c.image ?? 'busybox'}@sha256:${this.ctx.rng.hex(64)}`,
      lastState: {},
      name: c.name,
      ready: readyNow,
      restartCount: 0,
      started: true,
      state: { running: { startedAt: time } },
    }));
    this.patchStatus(node, pod, status);
    runtime.stage = readyNow ? 'ready' : 'running';
    if (readyNow) return;
    const cancel = this.ctx.after(this.ctx.delays.ready, () => {
      runtime.timers = runtime.timers.filter((t) => t !== cancel);
      this.becomeReady(runtime, node);
    });
    runtime.timers.push(cancel);
  }

  private becomeReady(runtime: PodRuntime, node: SimNode): void {
    const pod = this.current(runtime);
    if (!pod || isTerminating(pod)) return;
    const time = formatTime(this.ctx.clock.now());
    const status = clone(pod.status);
    status.conditions = withConditions(status, [
      readyCondition(pod, status, true, time, ''),
      condition('ContainersReady', true, time),
    ]);
    status.containerStatuses = status.containerStatuses?.map((c) => ({ ...c, ready: true }));
    this.patchStatus(node, pod, status);
    runtime.stage = 'ready';
  }

  /** Containers have exited: the kubelet reports the terminal phase, then removes the pod. */
  private finish(runtime: PodRuntime, node: SimNode | undefined): void {
    const pod = this.current(runtime);
    if (!pod) return;
    runtime.stage = 'exited';
    if (node && pod.status.podIP) {
      const time = formatTime(this.ctx.clock.now());
      const status = clone(pod.status);
      status.phase = 'Succeeded';
      status.conditions = withConditions(status, [condition('PodReadyToStartContainers', false, time)]);
      status.containerStatuses = status.containerStatuses?.map((c) => {
        const running = (c.state as { running?: { startedAt?: string } } | undefined)?.running;
        return {
          ...c,
          ready: false,
          started: false,
          state: {
            terminated: {
              containerID: c.containerID,
              exitCode: 0,
              finishedAt: time,
              reason: 'Completed',
              startedAt: running?.startedAt ?? time,
            },
          },
        };
      });
      this.patchStatus(node, pod, status);
    }
    const last = this.current(runtime) as Pod;
    const actor = node
      ? kubeletActor(this.ctx.actors, node)
      : controllerActor(this.ctx.actors, 'pod-garbage-collector');
    this.ctx.api.delete(actor, last, {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      gracePeriodSeconds: 0,
      preconditions: { uid: runtime.uid },
    });
    runtime.timers = [];
    this.forget(runtime.uid);
  }

  private patchStatus(node: SimNode, pod: Pod, status: PodStatus): Pod | undefined {
    const patch = twoWayMergePatch(
      pod.status as unknown as Record<string, unknown>,
      status as unknown as Record<string, unknown>,
    );
    // The kubelet skips the call when nothing but the uid would be sent.
    if (Object.keys(patch).length === 0) return pod;
    const next = clone(pod);
    next.status = status;
    return this.ctx.api.update(kubeletActor(this.ctx.actors, node), next, {
      verb: 'patch',
      subresource: 'status',
      requestObject: { metadata: { uid: pod.metadata.uid }, status: patch },
    });
  }

  private current(runtime: PodRuntime): Pod | undefined {
    const pod = this.ctx.store.get<Pod>('Pod', runtime.key);
    return pod && pod.metadata.uid === runtime.uid ? pod : undefined;
  }

  private cancelTimers(runtime: PodRuntime): void {
    for (const cancel of runtime.timers) cancel();
    runtime.timers = [];
  }

  private forget(uid: string): void {
    const runtime = this.runtimes.get(uid);
    if (runtime) this.cancelTimers(runtime);
    this.runtimes.delete(uid);
    for (const [ip, owner] of this.byIp)
      if (owner.uid === uid) {
        this.byIp.delete(ip);
        owner.ipam.release(ip);
      }
  }
}
