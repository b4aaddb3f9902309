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
  owned: (targetGroupArn: string, target: string) => ({ pk: `owned#${targetGroupArn}`, sk: target }),
  ownedPartition: (targetGroupArn: string) => `owned#${targetGroupArn}`,
  historyPartition: (key: string) => `history#${key}`,
  errorsPartition: () => 'errors',
  statusPartition: (cluster: string) => `status#${cluster}`,
};

/** Reconcile keys of the work queue. */
export const reconcileKeys = {
  targetGroup: (targetGroupArn: string) => `tg#${targetGroupArn}`,
  ingressStack: (cluster: string, group: string) => `stack#${cluster}#ingress/${group}`,
  serviceStack: (cluster: string, namespace: string, name: string) =>
    `stack#${cluster}#service/${namespace}/${name}`,
};
