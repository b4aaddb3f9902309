import type { Ingress } from '../k8s/objects.js';
import { groupIdString, groupOf } from '../model/ingress/group.js';

/**
 * Every record type's key layout, in one place so the table stays legible. Each prefix is a
 * partition of its own; listing is always a Query on one partition key.
 *
 * | record          | pk                              | sk                               |
 * |-----------------|---------------------------------|----------------------------------|
 * | mirror object   | obj#<cluster>#<Kind>            | <namespace>/<name>               |
 * | work queue      | queue#<shard>                   | <reconcile key>                  |
 * | binding         | binding#<targetGroupArn>        | binding                          |
 * | binding index   | bindings#<cluster>              | <namespace>/<service>#<tgArn>    |
 * | ownership       | owned#<targetGroupArn>          | targets (one gzipped set)        |
 * | history         | history#<reconcile key>         | <iso time>#<random>              |
 * | recorded error  | errors                          | <cluster>#<Kind>/<ns>/<name>#<key> |
 * | status          | status#<cluster>                | <Kind>/<ns>/<name>               |
 * | resync sightings| resync#<cluster>                | sightings (one gzipped map)      |
 * | selector index  | svcsel#<cluster>                | <namespace>/<name>, and `#ready` |
 */
export const keys = {
  object: (cluster: string, kind: string, namespace: string | undefined, name: string) => ({
    pk: `obj#${cluster}#${kind}`,
    sk: `${namespace ?? ''}/${name}`,
  }),
  objectPartition: (cluster: string, kind: string) => `obj#${cluster}#${kind}`,
  binding: (targetGroupArn: string) => ({ pk: `binding#${targetGroupArn}`, sk: 'binding' }),
  bindingIndex: (cluster: string, namespace: string, service: string, targetGroupArn: string) => ({
    pk: `bindings#${cluster}`,
    sk: `${namespace}/${service}#${targetGroupArn}`,
  }),
  bindingIndexPartition: (cluster: string) => `bindings#${cluster}`,
  ownedPartition: (targetGroupArn: string) => `owned#${targetGroupArn}`,
  historyPartition: (key: string) => `history#${key}`,
  errorsPartition: () => 'errors',
  statusPartition: (cluster: string) => `status#${cluster}`,
  resyncSightings: (cluster: string) => ({ pk: `resync#${cluster}`, sk: 'sightings' }),
  selectorEntry: (cluster: string, namespace: string, name: string) => ({
    pk: `svcsel#${cluster}`,
    sk: `${namespace}/${name}`,
  }),
  /** the index's own records: `#` sorts before every namespace, which a Query by namespace never reaches */
  selectorMarker: (cluster: string, sk: `#${string}`) => ({ pk: `svcsel#${cluster}`, sk }),
  selectorPartition: (cluster: string) => `svcsel#${cluster}`,
};

/**
 * Reconcile keys of the work queue, built and parsed here only:
 *
 * | key                                      | worked by | names                          |
 * |------------------------------------------|-----------|--------------------------------|
 * | tg#<targetGroupArn>                      | targets   | one target group binding       |
 * | stack#<cluster>#ingress/<group>          | stacks    | an Ingress group's ALB         |
 * | stack#<cluster>#service/<ns>/<name>      | stacks    | a LoadBalancer Service's NLB   |
 */
export const reconcileKeys = {
  targetGroup: (targetGroupArn: string) => `tg#${targetGroupArn}`,
  ingressStack: (cluster: string, group: string) => `stack#${cluster}#ingress/${group}`,
  serviceStack: (cluster: string, namespace: string, name: string) =>
    `stack#${cluster}#service/${namespace}/${name}`,
};

export const TARGET_GROUP_KEY_PREFIX = 'tg#';
export const STACK_KEY_PREFIX = 'stack#';

/** The target group ARN of a `tg#` key. */
export function targetGroupOfKey(key: string): string {
  if (!key.startsWith(TARGET_GROUP_KEY_PREFIX)) throw new Error(`not a target group key: ${key}`);
  return key.slice(TARGET_GROUP_KEY_PREFIX.length);
}

/** A parsed stack key; `stackKey` is the value of the stack tag and the binding's stackKey. */
export type StackKey =
  | { cluster: string; kind: 'ingress'; group: string; stackKey: string }
  | { cluster: string; kind: 'service'; namespace: string; name: string; stackKey: string };

export function parseStackKey(key: string): StackKey | undefined {
  const match = /^stack#([^#]+)#(ingress|service)\/(.+)$/.exec(key);
  if (!match) return undefined;
  const [, cluster = '', kind, rest = ''] = match;
  if (kind === 'ingress') return { cluster, kind, group: rest, stackKey: `ingress/${rest}` };
  const [namespace = '', name = ''] = rest.split('/');
  return { cluster, kind: 'service', namespace, name, stackKey: `service/${rest}` };
}

/** The stack key of an Ingress's group, if it has a valid one. */
export function ingressGroupKey(cluster: string, ingress: Ingress): string | undefined {
  const group = groupOf(ingress);
  return 'id' in group ? reconcileKeys.ingressStack(cluster, groupIdString(group.id)) : undefined;
}

/** The cluster a stack key names without a read; a `tg#` key's cluster is on its binding. */
export function clusterOfStackKey(key: string): string | undefined {
  return key.startsWith(STACK_KEY_PREFIX) ? key.split('#')[1] : undefined;
}
