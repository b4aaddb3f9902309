import type { HealthCheckConfig, Ref, TargetGroupResource, TargetGroupSpec } from '../../model/stack.js';
import { RESOURCE_TYPES, ref } from '../../model/stack.js';
import type { ActualTargetGroup } from '../stack-actual.js';
import { type Change, refPath, type StackPlan } from '../stack-changes.js';
import { type Hold, holdFor } from './filling-groups.js';
import { changedAttributes, missingTags, type StackScope } from './scope.js';

/**
 * Target groups: changed in place when compatible (health check, attributes, tags), else a new
 * one is created; the old one is collected with the garbage once nothing forwards to it.
 */
export interface TargetGroupsPlan {
  changes: Change[];
  /** Ref paths of existing groups -> ARN */
  known: [string, string][];
  /** replacements under way: forwards go to the serving group and the filling one at weight 0 */
  holds: Map<string, Hold>;
  waiting: StackPlan['waiting'];
  /** the target groups the stack ends with (StackPlan.targetGroups) */
  targetGroups: Record<string, string | Ref>;
  /** this stack's actual groups */
  owned: ActualTargetGroup[];
  /** ARNs of the owned groups that stay */
  kept: Set<string>;
}

export function planTargetGroups(
  desired: Readonly<Record<string, TargetGroupResource>>,
  actual: readonly ActualTargetGroup[],
  scope: StackScope,
): TargetGroupsPlan {
  const owned = actual.filter((group) => scope.owned(group.tags));
  const plan: TargetGroupsPlan = {
    changes: [],
    known: [],
    holds: new Map(),
    waiting: [],
    targetGroups: {},
    owned,
    kept: new Set(),
  };
  for (const [id, { spec }] of Object.entries(desired)) {
    const candidates = owned.filter((group) => group.tags[scope.resourceTag] === id);
    const found = candidates.find((group) => compatible(spec, group, scope.vpcId));
    const path = refPath(RESOURCE_TYPES.targetGroup, id, 'targetGroupARN');
    // a replacement serves from the old group until the new one has healthy targets (see holdFor)
    // NLB listeners forward to one target group: there the group is swapped at once, as the LBC does
    const serving = scope.kind === 'ingress' ? holdFor(found, candidates) : undefined;
    if (serving) {
      plan.kept.add(serving.arn);
      plan.holds.set(path, {
        serving: serving.arn,
        filling: found?.arn ?? ref(RESOURCE_TYPES.targetGroup, id, 'targetGroupARN'),
      });
      plan.waiting.push({
        targetGroup: id,
        message: `target group ${spec.name} replaces ${serving.name}: rules keep forwarding to ${serving.name} until the new group has healthy targets`,
      });
    }
    if (!found) {
      plan.changes.push({
        op: 'createTargetGroup',
        id,
        vpcId: scope.vpcId,
        spec,
        ...(candidates[0] ? { replaces: candidates[0].arn } : {}),
      });
      plan.targetGroups[id] = ref(RESOURCE_TYPES.targetGroup, id, 'targetGroupARN');
      continue;
    }
    plan.kept.add(found.arn);
    plan.known.push([path, found.arn]);
    plan.targetGroups[id] = found.arn;
    plan.changes.push(...inPlaceChanges(id, spec, found));
  }
  return plan;
}

/** What AWS cannot change on a target group: a difference here means a new group. */
function compatible(spec: TargetGroupSpec, group: ActualTargetGroup, vpcId: string): boolean {
  return (
    group.targetType === spec.targetType &&
    group.protocol === spec.protocol &&
    group.port === spec.port &&
    group.vpcId === vpcId &&
    group.ipAddressType === spec.ipAddressType &&
    (spec.protocolVersion === undefined || group.protocolVersion === spec.protocolVersion)
  );
}

function inPlaceChanges(id: string, spec: TargetGroupSpec, found: ActualTargetGroup): Change[] {
  const changes: Change[] = [];
  if (healthCheckKey(spec.healthCheckConfig) !== healthCheckKey(found.healthCheck))
    changes.push({ op: 'modifyTargetGroup', id, arn: found.arn, healthCheck: spec.healthCheckConfig });
  const attributes = changedAttributes(spec.targetGroupAttributes, found.attributes);
  if (attributes.length > 0)
    changes.push({ op: 'modifyTargetGroupAttributes', id, arn: found.arn, attributes });
  const tags = missingTags(spec.tags, found.tags);
  if (tags) changes.push({ op: 'addTags', arn: found.arn, tags });
  return changes;
}

/** A health check as AWS compares it: path and matcher only count for HTTP(S), with AWS's defaults. */
export function healthCheckKey(check: HealthCheckConfig): string {
  const http = check.protocol === 'HTTP' || check.protocol === 'HTTPS';
  return JSON.stringify([
    String(check.port),
    check.protocol,
    http ? (check.path ?? '/') : null,
    http ? JSON.stringify(check.matcher ?? { httpCode: '200' }) : null,
    check.intervalSeconds,
    check.timeoutSeconds,
    check.healthyThresholdCount,
    check.unhealthyThresholdCount,
  ]);
}
