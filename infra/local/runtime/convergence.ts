/**
 * "Converged": AWS holds what the cluster asks for right now.
 *
 * - targets: for every binding in the table, the targets computed from the cluster's CURRENT
 *   objects (shared/model/targets.ts, not the mirror) equal the group's registered, non-draining
 *   targets;
 * - stacks: for every Ingress group and LoadBalancer Service of the cluster, the stacks
 *   function's own dry run (planKey: model from the mirror, actual from AWS) plans no change,
 *   or the key settled with an error AWS gave (recorded with its retry time: it is in the
 *   report's errors, and retried with backoff, not hot).
 */
import type { Endpoints, Ingress, Node, Pod, Service } from '../../../shared/k8s/objects.js';
import { desiredTargets, type Known } from '../../../shared/model/targets.js';
import { planKey } from '../../../shared/reconcile/stacks/pass.js';
import type { StacksDeps } from '../../../shared/reconcile/stacks/ports.js';
import { ingressGroupKey, parseStackKey, reconcileKeys, type State } from '../../../shared/state/index.js';
import type { Elbv2Service } from '../aws/elbv2/index.js';
import type { SimulatedCluster } from '../cluster/index.js';

const known = <T>(object: unknown): Known<T> =>
  object === undefined ? { state: 'deleted' } : { state: 'present', object: object as T };

export async function targetDifferences(
  cluster: SimulatedCluster,
  state: State,
  elbv2: Elbv2Service,
): Promise<string[]> {
  const differences: string[] = [];
  const nodes = cluster.list('Node') as unknown as Node[];
  // one list per namespace, not per binding: a thousand pods cloned for each of 130 bindings
  const podsByNamespace = new Map<string, Pod[]>();
  const podsIn = (namespace: string): Pod[] => {
    let pods = podsByNamespace.get(namespace);
    if (pods === undefined) {
      pods = cluster.list('Pod', namespace) as unknown as Pod[];
      podsByNamespace.set(namespace, pods);
    }
    return pods;
  };
  for (const binding of await state.bindings.list(cluster.name)) {
    const { namespace, name } = binding.service;
    const key = `${namespace}/${name}`;
    const desired = desiredTargets({
      targetType: binding.targetType,
      service: binding.service,
      serviceObject: known<Service>(cluster.get('Service', key)),
      endpoints: known<Endpoints>(cluster.get('Endpoints', key)),
      pods: podsIn(namespace),
      nodes,
    });
    if (desired.kind !== 'targets') continue;
    let actual: { id: string; port: number | undefined; state: string }[];
    try {
      actual = elbv2.listTargets(binding.targetGroupArn);
    } catch {
      if (desired.targets.length > 0)
        differences.push(
          `binding ${key} (${binding.service.port}): target group ${binding.targetGroupArn} is missing`,
        );
      continue;
    }
    const want = new Set(desired.targets.map((target) => `${target.id}:${target.port}`));
    const have = new Set(
      actual.filter((target) => target.state !== 'draining').map((target) => `${target.id}:${target.port}`),
    );
    const missing = [...want].filter((target) => !have.has(target));
    const extra = [...have].filter((target) => !want.has(target));
    if (missing.length > 0 || extra.length > 0)
      differences.push(
        `binding ${key} port ${binding.service.port}: missing [${missing.join(', ')}], unexpected [${extra.join(', ')}]`,
      );
  }
  return differences;
}

/** Stack keys the cluster's current objects call for. */
export function stackKeys(cluster: SimulatedCluster): string[] {
  const keys = new Set<string>();
  for (const ingress of cluster.list('Ingress') as unknown as Ingress[]) {
    const key = ingressGroupKey(cluster.name, ingress);
    if (key) keys.add(key);
  }
  for (const service of cluster.list('Service') as unknown as Service[]) {
    if (service.spec?.type === 'LoadBalancer')
      keys.add(
        reconcileKeys.serviceStack(
          cluster.name,
          service.metadata.namespace ?? 'default',
          service.metadata.name,
        ),
      );
  }
  return [...keys];
}

export async function stackDifferences(cluster: SimulatedCluster, deps: StacksDeps): Promise<string[]> {
  const differences: string[] = [];
  // a key AWS refused settled with its recorded error (shared/reconcile/backoff.ts): what it
  // still plans is that error's consequence, reported in the errors, not a pending change
  const settledWithError = new Set(
    (await deps.state.errors.list(cluster.name))
      .filter((error) => error.retryAt !== undefined)
      .map((error) => error.key),
  );
  for (const key of stackKeys(cluster)) {
    const parsed = parseStackKey(key);
    if (!parsed || settledWithError.has(key)) continue;
    try {
      const { plan } = await planKey(deps, parsed);
      if (plan.changes.length > 0)
        differences.push(
          `stack ${parsed.stackKey}: ${plan.changes.length} change(s) planned (${[...new Set(plan.changes.map((change) => change.op))].join(', ')})`,
        );
    } catch (error) {
      differences.push(`stack ${parsed.stackKey}: dry run failed: ${(error as Error).message}`);
    }
  }
  return differences;
}
