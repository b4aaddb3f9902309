import type { LoadBalancerResource } from '../../model/stack.js';
import { RESOURCE_IDS, RESOURCE_TYPES, ref } from '../../model/stack.js';
import type { ActualLoadBalancer } from '../stack-actual.js';
import { type Change, type PlanError, refPath, resolveRefs, type StackPlan } from '../stack-changes.js';
import { planAddons } from './addons.js';
import { changedAttributes, type KnownValues, missingTags, type StackScope, sameSet } from './scope.js';

/**
 * The load balancer: kept when its type and scheme still match (AWS cannot change either), its
 * security groups (never added to an NLB created without any), subnets, IP address type, attributes and tags set in place; else a new one.
 * The old one is collected with the garbage (or kept, with a plan error, under deletion protection).
 */
export interface LoadBalancerPlan {
  changes: Change[];
  /** the load balancer's Ref path -> ARN, when it exists */
  known: [string, string][];
  /** the actual load balancer the stack keeps */
  kept?: ActualLoadBalancer;
  /** StackPlan.loadBalancer */
  output?: StackPlan['loadBalancer'];
  /** this stack's other load balancers */
  stale: ActualLoadBalancer[];
  /** add-ons that cannot be reconciled (addons.ts) */
  errors: PlanError[];
}

export function planLoadBalancer(
  desired: Readonly<Record<string, LoadBalancerResource>>,
  actual: readonly ActualLoadBalancer[],
  known: KnownValues,
  scope: StackScope,
  shieldSubscribed?: boolean,
): LoadBalancerPlan {
  const owned = actual.filter((lb) => scope.owned(lb.tags));
  const want = desired[RESOURCE_IDS.loadBalancer];
  const lb = want
    ? owned.find(
        (candidate) =>
          candidate.tags[scope.resourceTag] === RESOURCE_IDS.loadBalancer &&
          candidate.type === want.spec.type &&
          candidate.scheme === want.spec.scheme,
      )
    : undefined;
  const stale = owned.filter((candidate) => candidate.arn !== lb?.arn);
  if (!want) return { changes: [], known: [], stale, errors: [] };
  const subscribed = shieldSubscribed === undefined ? {} : { shieldSubscribed };
  if (!lb) {
    const arn = ref(RESOURCE_TYPES.loadBalancer, RESOURCE_IDS.loadBalancer, 'loadBalancerARN');
    const addons = planAddons({ spec: want.spec, loadBalancerArn: arn, ...subscribed });
    return {
      changes: [
        { op: 'createLoadBalancer', id: RESOURCE_IDS.loadBalancer, spec: resolveRefs(want.spec, known) },
        ...addons.changes,
      ],
      known: [],
      output: { arn },
      stale,
      errors: addons.errors,
    };
  }
  const changes: Change[] = [];
  const errors: PlanError[] = [];
  const spec = resolveRefs(want.spec, known);
  const groups = spec.securityGroups;
  if (lb.type === 'network' && lb.securityGroups.length === 0 && groups.length > 0) {
    // AWS refuses SetSecurityGroups on an NLB created without groups: planning it would stop the
    // pass before the listeners, so the NLB is kept as it is and the reason recorded
    errors.push({
      field: 'securityGroups',
      message: `network load balancer ${lb.name} was created without security groups and AWS cannot add any; it is kept without them`,
    });
  } else if (!sameSet(groups.map(String), lb.securityGroups) || groups.some((g) => typeof g !== 'string'))
    changes.push({ op: 'setSecurityGroups', arn: lb.arn, securityGroups: groups });
  const subnets = spec.subnetMapping.map((mapping) => mapping.subnetID);
  if (subnets.length > 0 && !sameSet(subnets, lb.subnetIds))
    changes.push({ op: 'setSubnets', arn: lb.arn, subnetIds: subnets });
  if (spec.ipAddressType !== lb.ipAddressType)
    changes.push({ op: 'setIpAddressType', arn: lb.arn, ipAddressType: spec.ipAddressType });
  const attributes = changedAttributes(spec.loadBalancerAttributes, lb.attributes);
  if (attributes.length > 0) changes.push({ op: 'modifyLoadBalancerAttributes', arn: lb.arn, attributes });
  const tags = missingTags(spec.tags, lb.tags);
  if (tags) changes.push({ op: 'addTags', arn: lb.arn, tags });
  const addons = planAddons({ spec, existing: lb, loadBalancerArn: lb.arn, ...subscribed });
  return {
    changes: [...changes, ...addons.changes],
    errors: [...errors, ...addons.errors],
    known: [[refPath(RESOURCE_TYPES.loadBalancer, RESOURCE_IDS.loadBalancer, 'loadBalancerARN'), lb.arn]],
    kept: lb,
    output: { arn: lb.arn, dnsName: lb.dnsName },
    stale,
  };
}
