import { MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  CONTRACT_VERSION,
  DETAIL_TYPES,
  INTERNAL_SOURCE,
  type TargetGroupBoundDetail,
} from '../../events/contract.js';
import type { MemberError, MemberRef, StackBuild } from '../../model/stack.js';
import { isRef, RESOURCE_TYPES } from '../../model/stack.js';
import { resolveRefs, type StackPlan } from '../../plan/stack-changes.js';
import type { Binding, RecordedError } from '../../state/index.js';
import type { StackKey } from '../../state/keys.js';
import type { Applied } from './apply.js';
import type { MemberAnnotations } from './attribute.js';
import { STACKS_METRICS, type StacksDeps } from './ports.js';

/**
 * What a stack pass leaves behind besides AWS: a binding per target group (and a Target Group
 * Bound event for each new or changed one), the members' status (DynamoDB and the Kubernetes
 * API), and the recorded errors of the members and the stack, cleared once fixed.
 */

export async function writeBindings(
  deps: StacksDeps,
  parsed: StackKey,
  build: StackBuild,
  plan: StackPlan,
  applied: Applied,
): Promise<void> {
  const { bindings, ownership } = deps.state;
  const events: TargetGroupBoundDetail[] = [];
  const observedAt = new Date(deps.now()).toISOString();
  const groups = Object.entries(build.stack.resources[RESOURCE_TYPES.targetGroup]);
  // read once per pass, and only when an ip target group needs them
  const vpcCidrs = groups.some(([, resource]) => resource.binding.targetType === 'ip')
    ? await deps.ec2.vpcCidrs(await deps.clusterVpc(parsed.cluster))
    : undefined;
  for (const [id, resource] of groups) {
    const planned = plan.targetGroups[id];
    if (planned === undefined) continue;
    const resolved = resolveRefs(planned, applied.created);
    if (isRef(resolved)) continue;
    const createdNow = [...applied.created.values()].includes(resolved);
    const previous = await bindings.get(resolved);
    const binding: Binding = {
      cluster: parsed.cluster,
      targetGroupArn: resolved,
      stackKey: parsed.stackKey,
      service: {
        namespace: resource.binding.namespace,
        name: resource.binding.serviceRef.name,
        port: resource.binding.serviceRef.port,
      },
      targetType: resource.binding.targetType,
      createdBySlbc: createdNow || (previous?.createdBySlbc ?? false),
      ...(resource.binding.targetType === 'ip' && vpcCidrs !== undefined ? { vpcCidrs } : {}),
      updatedAt: observedAt,
    };
    // a binding written before vpcCidrs existed differs here, so it is rewritten with them
    const identity = (b: Binding) =>
      JSON.stringify([b.stackKey, b.service, b.targetType, b.createdBySlbc, b.vpcCidrs ?? []]);
    const same = previous !== undefined && identity(previous) === identity(binding);
    if (same) continue;
    await bindings.put(binding);
    events.push({
      version: CONTRACT_VERSION,
      cluster: binding.cluster,
      targetGroupArn: binding.targetGroupArn,
      stackKey: binding.stackKey,
      service: binding.service,
      targetType: binding.targetType,
      observedAt,
    });
  }
  for (const arn of applied.deletedTargetGroups) {
    await bindings.delete(arn);
    await ownership.clear(arn);
  }
  if (events.length > 0) {
    await deps.publisher.publish(
      events.map((detail) => ({
        source: INTERNAL_SOURCE,
        detailType: DETAIL_TYPES.TargetGroupBound,
        detail: JSON.stringify(detail),
        resources: [detail.targetGroupArn],
      })),
    );
  }
}

export async function writeStatus(
  deps: StacksDeps,
  parsed: StackKey,
  build: StackBuild,
  plan: StackPlan,
  applied: Applied,
): Promise<void> {
  const { status } = deps.state;
  const lbArn = plan.loadBalancer ? resolveRefs(plan.loadBalancer.arn, applied.created) : undefined;
  const hostname = applied.dnsName ?? plan.loadBalancer?.dnsName;
  const members: MemberRef[] = [
    ...build.stack.members,
    // a member in error keeps its rules, so it is still served by this load balancer
    ...build.memberErrors
      .filter((error) => error.kind === 'Ingress')
      .map((error) => ({ kind: error.kind, namespace: error.namespace, name: error.name })),
  ];
  const current = new Set(members.map((member) => `${member.kind}/${member.namespace}/${member.name}`));
  const records = await status.list(parsed.cluster);
  const ours = new Set([...(typeof lbArn === 'string' ? [lbArn] : []), ...applied.deletedLoadBalancers]);
  for (const record of records) {
    if (!ours.has(record.loadBalancerArn) || current.has(`${record.kind}/${record.namespace}/${record.name}`))
      continue;
    await status.delete(parsed.cluster, record.kind, record.namespace, record.name);
    await deps.statusWriter?.setHostname(
      parsed.cluster,
      { kind: record.kind as MemberRef['kind'], namespace: record.namespace, name: record.name },
      undefined,
    );
  }
  if (typeof lbArn !== 'string' || !hostname) return;
  const known = new Map(
    records.map((record) => [`${record.kind}/${record.namespace}/${record.name}`, record]),
  );
  for (const member of build.stack.members) {
    const previous = known.get(`${member.kind}/${member.namespace}/${member.name}`);
    if (previous?.hostname === hostname && previous.loadBalancerArn === lbArn) continue;
    await status.put(parsed.cluster, member.kind, member.namespace, member.name, {
      hostname,
      loadBalancerArn: lbArn,
    });
    await deps.statusWriter?.setHostname(parsed.cluster, member, hostname);
  }
}

export async function recordErrors(
  deps: StacksDeps,
  parsed: StackKey,
  key: string,
  memberErrors: readonly MemberError[],
  plan: StackPlan,
): Promise<void> {
  const { errors } = deps.state;
  const stackName = parsed.kind === 'ingress' ? parsed.group : `${parsed.namespace}/${parsed.name}`;
  const stackKind = parsed.kind === 'ingress' ? 'IngressGroup' : 'ServiceStack';
  const wanted: Omit<RecordedError, 'at'>[] = [
    ...memberErrors.map((error) => ({
      cluster: parsed.cluster,
      kind: error.kind,
      namespace: error.namespace,
      name: error.name,
      field: error.field,
      message: error.message,
      key,
    })),
    // "no member could be modelled" only repeats the members' own errors: one error per cause
    ...plan.errors
      .filter((error) => !(error.field === 'members' && memberErrors.length > 0))
      .map((error) => ({
        cluster: parsed.cluster,
        kind: stackKind,
        name: stackName,
        field: error.field,
        message: error.message,
        key,
      })),
  ];
  const identity = (e: Pick<RecordedError, 'kind' | 'namespace' | 'name'>) =>
    `${e.kind}/${e.namespace ?? ''}/${e.name}`;
  const previous = await errors.listForKey(parsed.cluster, key);
  const before = new Map(previous.map((error) => [identity(error), error]));
  for (const error of wanted) {
    const old = before.get(identity(error));
    if (old?.message === error.message && old.field === error.field) continue;
    await errors.record(error);
  }
  if (memberErrors.length > 0)
    deps.metrics.addMetric(STACKS_METRICS.memberErrors, MetricUnit.Count, memberErrors.length);
  const now = new Set(wanted.map(identity));
  // a refused apply's error (retryAt set) stays until an apply succeeds: clearSettledErrors
  for (const error of previous)
    if (!now.has(identity(error)) && error.retryAt === undefined) await errors.clear(error);
}

/** After an apply AWS accepted: the key's settled-with-error records no longer apply. */
export async function clearSettledErrors(deps: StacksDeps, cluster: string, key: string): Promise<void> {
  for (const error of await deps.state.errors.listForKey(cluster, key))
    if (error.retryAt !== undefined) await deps.state.errors.clear(error);
}

/** The members' annotations as the mirror holds them, to name the one AWS refused. */
export async function memberAnnotations(
  deps: StacksDeps,
  cluster: string,
  members: readonly MemberRef[],
): Promise<MemberAnnotations[]> {
  const found: MemberAnnotations[] = [];
  for (const member of members) {
    const object = await deps.state.mirror.getObject(cluster, member.kind, member.namespace, member.name);
    found.push({ ...member, annotations: object?.metadata.annotations ?? {} });
  }
  return found;
}
