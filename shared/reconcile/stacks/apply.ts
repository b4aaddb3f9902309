import type { Ec2Change } from '../../aws/ec2-stacks.js';
import type { AddonChange, ClientCredentials, Elbv2Change } from '../../aws/elbv2-stacks.js';
import { RESOURCE_IDS, RESOURCE_TYPES } from '../../model/stack.js';
import { type Change, refPath, resolveRefs, type StackPlan } from '../../plan/stack-changes.js';
import type { Cause } from '../../state/index.js';
import type { StacksDeps } from './ports.js';

/**
 * Applies a plan in order, resolving each Ref from what earlier changes created, and writes one
 * history entry per change with the event that caused it. A failure stops the pass (the error
 * propagates; the key stays dirty) and the next pass re-plans from what AWS then has.
 */
export interface Applied {
  /** Ref path -> ARN / ID of what this pass created */
  created: Map<string, string>;
  dnsName?: string;
  deletedTargetGroups: string[];
  deletedLoadBalancers: string[];
  calls: number;
}

const EC2_OPS = new Set<Change['op']>([
  'createSecurityGroup',
  'authorizeSecurityGroupIngress',
  'revokeSecurityGroupIngress',
  'deleteSecurityGroup',
]);

const ADDON_OPS = new Set<Change['op']>([
  'associateWebAcl',
  'disassociateWebAcl',
  'createShieldProtection',
  'deleteShieldProtection',
]);

function applyAddon(deps: StacksDeps, change: AddonChange) {
  if (!deps.addons) throw new Error(`stacks: no WAFv2/Shield port wired for ${change.op}`);
  return deps.addons.apply(change);
}

function resourceOf(change: Change): string {
  if ('loadBalancerArn' in change && typeof change.loadBalancerArn === 'string')
    return change.loadBalancerArn;
  if ('arn' in change) return change.arn;
  if ('groupId' in change) return change.groupId;
  if ('listenerArn' in change && typeof change.listenerArn === 'string') return change.listenerArn;
  if ('spec' in change && 'name' in change.spec) return change.spec.name;
  if ('id' in change) return change.id;
  return change.op;
}

export async function applyPlan(
  deps: StacksDeps,
  plan: StackPlan,
  key: string,
  cause: Cause,
  /** OIDC client secrets, handed to the ELBv2 calls only (never to history) */
  credentials?: ClientCredentials,
): Promise<Applied> {
  const applied: Applied = {
    created: new Map(),
    deletedTargetGroups: [],
    deletedLoadBalancers: [],
    calls: 0,
  };
  for (const planned of plan.changes) {
    const change = resolveRefs(planned, applied.created);
    const result = EC2_OPS.has(change.op)
      ? await deps.ec2.apply(change as Ec2Change)
      : ADDON_OPS.has(change.op)
        ? await applyAddon(deps, change as AddonChange)
        : await deps.elbv2.apply(change as Elbv2Change, credentials);
    applied.calls += 1;
    switch (change.op) {
      case 'createSecurityGroup':
        applied.created.set(
          refPath(RESOURCE_TYPES.securityGroup, change.id, 'groupID'),
          (result as { groupId?: string }).groupId ?? '',
        );
        break;
      case 'createTargetGroup':
        applied.created.set(
          refPath(RESOURCE_TYPES.targetGroup, change.id, 'targetGroupARN'),
          (result as { arn?: string }).arn ?? '',
        );
        break;
      case 'createLoadBalancer':
        applied.created.set(
          refPath(RESOURCE_TYPES.loadBalancer, RESOURCE_IDS.loadBalancer, 'loadBalancerARN'),
          (result as { arn?: string }).arn ?? '',
        );
        applied.dnsName = (result as { dnsName?: string }).dnsName;
        break;
      case 'createListener':
        applied.created.set(
          refPath(RESOURCE_TYPES.listener, change.id, 'listenerARN'),
          (result as { arn?: string }).arn ?? '',
        );
        break;
      case 'deleteTargetGroup':
        applied.deletedTargetGroups.push(change.arn);
        break;
      case 'deleteLoadBalancer':
        applied.deletedLoadBalancers.push(change.arn);
        break;
      default:
        break;
    }
    const created =
      (result as { arn?: string; groupId?: string }).arn ?? (result as { groupId?: string }).groupId;
    await deps.state.history.record({
      key,
      action: change.op,
      resource: created ?? resourceOf(change),
      details: change,
      cause,
    });
  }
  return applied;
}
