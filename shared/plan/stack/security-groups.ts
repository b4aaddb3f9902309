import type { IpPermission, SecurityGroupResource } from '../../model/stack.js';
import { RESOURCE_TYPES } from '../../model/stack.js';
import type { ActualSecurityGroup } from '../stack-actual.js';
import { type Change, refPath } from '../stack-changes.js';
import type { StackScope } from './scope.js';

/**
 * Security groups: created when missing, else their ingress permissions diffed one by one.
 * Authorizations go first in the plan; revocations wait for garbage collection (after the
 * listeners changed), so a port still served never loses its permission early.
 */
export interface SecurityGroupsPlan {
  changes: Change[];
  /** revokeSecurityGroupIngress changes, applied with the garbage */
  revokes: Change[];
  /** Ref paths of existing groups -> group ID */
  known: [string, string][];
  /** this stack's groups the model no longer has */
  stale: ActualSecurityGroup[];
}

export function planSecurityGroups(
  desired: Readonly<Record<string, SecurityGroupResource>>,
  actual: readonly ActualSecurityGroup[],
  scope: StackScope,
): SecurityGroupsPlan {
  const owned = actual.filter((group) => scope.owned(group.tags));
  const plan: SecurityGroupsPlan = { changes: [], revokes: [], known: [], stale: [] };
  const kept = new Set<string>();
  for (const [id, { spec }] of Object.entries(desired)) {
    const found = owned.find((group) => group.tags[scope.resourceTag] === id);
    if (!found) {
      plan.changes.push({ op: 'createSecurityGroup', id, vpcId: scope.vpcId, spec });
      continue;
    }
    kept.add(found.groupId);
    plan.known.push([refPath(RESOURCE_TYPES.securityGroup, id, 'groupID'), found.groupId]);
    const want = expandPermissions(spec.ingress);
    const have = expandPermissions(found.ingress);
    const add = [...want].filter(([key]) => !have.has(key)).map(([, p]) => p);
    const remove = [...have].filter(([key]) => !want.has(key)).map(([, p]) => p);
    if (add.length > 0)
      plan.changes.push({ op: 'authorizeSecurityGroupIngress', groupId: found.groupId, permissions: add });
    if (remove.length > 0)
      plan.revokes.push({ op: 'revokeSecurityGroupIngress', groupId: found.groupId, permissions: remove });
  }
  plan.stale = owned.filter((group) => !kept.has(group.groupId));
  return plan;
}

/** One entry per protocol, port range and CIDR: what EC2 authorizes and revokes one by one. */
export function expandPermissions(permissions: readonly IpPermission[]): Map<string, IpPermission> {
  const out = new Map<string, IpPermission>();
  for (const p of permissions) {
    for (const range of p.ipRanges ?? []) {
      out.set(`${p.ipProtocol}:${p.fromPort}-${p.toPort}:${range.cidrIP}`, {
        ipProtocol: p.ipProtocol,
        fromPort: p.fromPort,
        toPort: p.toPort,
        ipRanges: [{ cidrIP: range.cidrIP }],
      });
    }
    for (const range of p.ipv6Ranges ?? []) {
      out.set(`${p.ipProtocol}:${p.fromPort}-${p.toPort}:${range.cidrIPv6}`, {
        ipProtocol: p.ipProtocol,
        fromPort: p.fromPort,
        toPort: p.toPort,
        ipv6Ranges: [{ cidrIPv6: range.cidrIPv6 }],
      });
    }
  }
  return out;
}
