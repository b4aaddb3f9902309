/**
 * The Deployment and ReplicaSet controllers. A Deployment owns one ReplicaSet per pod template
 * (named by the template's hash, as `pod-template-hash`); a rolling update moves replicas from
 * the old ReplicaSets to the new one within maxSurge and maxUnavailable, following the upstream
 * controller's arithmetic: surge rounds up, unavailable rounds down, and old pods are scaled
 * down only as far as the available count allows. The ReplicaSet controller then creates or
 * deletes pods to match its replicas, deleting the least useful pods first.
 */
import { controllerActor } from './audit/actors.js';
import type { SimContext } from './context.js';
import {
  clone,
  type Deployment,
  type IntOrPercent,
  isPodReady,
  isTerminating,
  type Pod,
  type ReplicaSet,
} from './objects.js';
import { sortKeys } from './patch.js';
import type { PodLifecycle } from './pods.js';

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-1a of the template, encoded like Kubernetes' SafeEncodeString, e.g. `5d8c7b9f6c`. */
export function podTemplateHash(template: unknown): string {
  let hash = 2166136261;
  for (const ch of JSON.stringify(sortKeys(template)))
    hash = Math.imul(hash ^ ch.charCodeAt(0), 16777619) >>> 0;
  return [...String(hash)].map((d) => SAFE_ALPHABET[d.charCodeAt(0) % SAFE_ALPHABET.length]).join('');
}

/** An int, or a percentage of `total` rounded up (surge) or down (unavailable). */
export function resolveIntOrPercent(
  value: IntOrPercent | undefined,
  total: number,
  roundUp: boolean,
  fallback: string,
) {
  const v = value ?? fallback;
  if (typeof v === 'number') return v;
  const percent = Number(v.replace('%', ''));
  const exact = (percent * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** maxSurge and maxUnavailable for `replicas`; both zero becomes unavailable 1, as upstream does. */
export function rollingBounds(deployment: Deployment): { maxSurge: number; maxUnavailable: number } {
  const replicas = deployment.spec.replicas ?? 1;
  const rolling = deployment.spec.strategy?.rollingUpdate;
  const maxSurge = resolveIntOrPercent(rolling?.maxSurge, replicas, true, '25%');
  let maxUnavailable = resolveIntOrPercent(rolling?.maxUnavailable, replicas, false, '25%');
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

export class WorkloadControllers {
  constructor(
    private readonly ctx: SimContext,
    private readonly pods: PodLifecycle,
  ) {}

  /** One pass over every Deployment and ReplicaSet; true when it wrote anything. */
  sync(): boolean {
    let wrote = false;
    for (const deployment of this.ctx.store.list<Deployment>('Deployment'))
      wrote = this.syncDeployment(deployment) || wrote;
    for (const rs of this.ctx.store.list<ReplicaSet>('ReplicaSet')) wrote = this.syncReplicaSet(rs) || wrote;
    return wrote;
  }

  ownedReplicaSets(deployment: Deployment): ReplicaSet[] {
    return this.ctx.store.listOwnedBy<ReplicaSet>(
      'ReplicaSet',
      deployment.metadata.namespace,
      deployment.metadata.uid,
    );
  }

  ownedPods(rs: ReplicaSet): Pod[] {
    return this.ctx.store.listOwnedBy<Pod>('Pod', rs.metadata.namespace, rs.metadata.uid);
  }

  private available(rs: ReplicaSet): number {
    return this.ownedPods(rs).filter((p) => !isTerminating(p) && isPodReady(p)).length;
  }

  private syncDeployment(deployment: Deployment): boolean {
    const replicas = deployment.spec.replicas ?? 1;
    const hash = podTemplateHash(deployment.spec.template);
    const owned = this.ownedReplicaSets(deployment);
    let newRs = owned.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
    const old = owned.filter((rs) => rs !== newRs);
    const total = () => [newRs, ...old].reduce((sum, rs) => sum + (rs?.spec.replicas ?? 0), 0);
    let wrote = false;

    if (deployment.spec.strategy?.type === 'Recreate') {
      for (const rs of old) if (rs.spec.replicas > 0) wrote = this.scale(rs, 0) || wrote;
      const oldPodsLeft = old.some((rs) => this.ownedPods(rs).length > 0);
      if (!newRs) newRs = this.createReplicaSet(deployment, hash, oldPodsLeft ? 0 : replicas);
      else if (!oldPodsLeft && newRs.spec.replicas !== replicas) wrote = this.scale(newRs, replicas) || wrote;
      return wrote || !owned.includes(newRs);
    }

    const { maxSurge, maxUnavailable } = rollingBounds(deployment);
    if (!newRs) {
      const room = Math.max(0, replicas + maxSurge - total());
      newRs = this.createReplicaSet(deployment, hash, Math.min(replicas, room));
      wrote = true;
    } else if (newRs.spec.replicas > replicas) {
      wrote = this.scale(newRs, replicas) || wrote;
    } else if (newRs.spec.replicas < replicas) {
      const room = replicas + maxSurge - total();
      if (room > 0) wrote = this.scale(newRs, Math.min(replicas, newRs.spec.replicas + room)) || wrote;
    }
    const current = newRs;

    // Scale old ReplicaSets down only while enough pods stay available.
    const minAvailable = replicas - maxUnavailable;
    const newUnavailable = current.spec.replicas - this.available(current);
    let maxScaledDown = total() - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return wrote;
    const oldestFirst = [...old].sort((a, b) =>
      String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)),
    );
    // First the old pods that are not available anyway: removing them costs nothing.
    for (const rs of oldestFirst) {
      if (maxScaledDown <= 0) break;
      const unhealthy = rs.spec.replicas - this.available(rs);
      const step = Math.min(maxScaledDown, Math.max(0, unhealthy));
      if (step > 0) {
        wrote = this.scale(rs, rs.spec.replicas - step) || wrote;
        maxScaledDown -= step;
      }
    }
    // Then available ones, as far as minAvailable allows.
    const availableNow = [current, ...old].reduce((sum, rs) => sum + this.available(rs), 0);
    let budget = availableNow - minAvailable;
    for (const rs of oldestFirst) {
      if (budget <= 0) break;
      const fresh =
        this.ctx.store.get<ReplicaSet>('ReplicaSet', `${rs.metadata.namespace}/${rs.metadata.name}`) ?? rs;
      const step = Math.min(fresh.spec.replicas, budget);
      if (step > 0) {
        wrote = this.scale(fresh, fresh.spec.replicas - step) || wrote;
        budget -= step;
      }
    }
    return wrote;
  }

  private createReplicaSet(deployment: Deployment, hash: string, replicas: number): ReplicaSet {
    const template = clone(deployment.spec.template);
    template.metadata = {
      ...template.metadata,
      labels: { ...template.metadata?.labels, 'pod-template-hash': hash },
    };
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${deployment.metadata.name}-${hash}`,
        namespace: deployment.metadata.namespace as string,
        labels: { ...template.metadata.labels },
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(deployment.spec.replicas ?? 1),
          'deployment.kubernetes.io/max-replicas': String(
            (deployment.spec.replicas ?? 1) + rollingBounds(deployment).maxSurge,
          ),
        },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: deployment.metadata.name,
            uid: deployment.metadata.uid as string,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        replicas,
        selector: { matchLabels: { ...deployment.spec.selector.matchLabels, 'pod-template-hash': hash } },
        template,
      },
    };
    return this.ctx.api.create(controllerActor(this.ctx.actors, 'deployment-controller'), rs);
  }

  private scale(rs: ReplicaSet, replicas: number): boolean {
    if (rs.spec.replicas === replicas) return false;
    const next = clone(rs);
    next.spec.replicas = replicas;
    this.ctx.api.update(controllerActor(this.ctx.actors, 'deployment-controller'), next);
    return true;
  }

  private syncReplicaSet(rs: ReplicaSet): boolean {
    const actor = controllerActor(this.ctx.actors, 'replicaset-controller');
    const active = this.ownedPods(rs).filter((p) => !isTerminating(p));
    const missing = rs.spec.replicas - active.length;
    for (let i = 0; i < missing; i++) {
      const pod: Pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: '',
          generateName: `${rs.metadata.name}-`,
          namespace: rs.metadata.namespace as string,
          labels: { ...rs.spec.template.metadata?.labels },
          ...(rs.spec.template.metadata?.annotations
            ? { annotations: { ...rs.spec.template.metadata.annotations } }
            : {}),
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name: rs.metadata.name,
              uid: rs.metadata.uid as string,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: clone(rs.spec.template.spec),
        status: { phase: 'Pending', qosClass: 'BestEffort' },
      };
      const { name: _generated, ...requestMeta } = pod.metadata;
      this.pods.create(actor, pod, {
        requestObject: { ...clone(pod), metadata: { ...requestMeta, creationTimestamp: null }, status: {} },
      });
    }
    if (missing >= 0) return missing > 0;
    // Too many: delete unscheduled, then pending, then not ready, then the newest first.
    const rank = (p: Pod) =>
      !p.spec.nodeName ? 0 : p.status.phase === 'Pending' ? 1 : isPodReady(p) ? 3 : 2;
    const victims = [...active]
      .sort(
        (a, b) =>
          rank(a) - rank(b) ||
          String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)) ||
          (b.metadata.name < a.metadata.name ? -1 : 1),
      )
      .slice(0, -missing);
    for (const pod of victims) this.pods.delete(actor, pod);
    return true;
  }

  /** Garbage collection after a Deployment is deleted: its ReplicaSets and their pods go too. */
  collectOrphans(): boolean {
    const gc = controllerActor(this.ctx.actors, 'generic-garbage-collector');
    let wrote = false;
    for (const rs of this.ctx.store.list<ReplicaSet>('ReplicaSet')) {
      const owner = rs.metadata.ownerReferences?.[0];
      if (!owner) continue;
      const alive = this.ctx.store
        .list<Deployment>('Deployment', rs.metadata.namespace)
        .some((d) => d.metadata.uid === owner.uid);
      if (alive) continue;
      for (const pod of this.ownedPods(rs)) this.pods.delete(gc, pod);
      this.ctx.api.delete(gc, rs, {
        kind: 'DeleteOptions',
        apiVersion: 'v1',
        propagationPolicy: 'Background',
      });
      wrote = true;
    }
    for (const pod of this.ctx.store.list<Pod>('Pod')) {
      const owner = pod.metadata.ownerReferences?.[0];
      if (owner?.kind !== 'ReplicaSet' || isTerminating(pod)) continue;
      const alive = this.ctx.store
        .list<ReplicaSet>('ReplicaSet', pod.metadata.namespace)
        .some((r) => r.metadata.uid === owner.uid);
      if (!alive) {
        this.pods.delete(gc, pod);
        wrote = true;
      }
    }
    return wrote;
  }
}
