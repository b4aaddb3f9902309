import type { Ingress } from '../../k8s/objects.js';
import { annotationField, INGRESS_PREFIX } from '../annotations/parse.js';
import type { MemberError, RuleCondition } from '../stack.js';
import { memberError } from './group.js';
import type { MemberContribution } from './member.js';

/**
 * Who may share a load balancer. An explicit group (group.name) is open to any Ingress that names
 * it, so without a rule any namespace could join another team's ALB and, with a lower group.order,
 * take over its paths. Two rules apply here:
 *
 * - Namespace tenancy (`groupNamespaces`, default `same`): the namespace of the group's oldest member
 *   owns the group; members from other namespaces are refused. `any` lifts this, as in the LBC.
 * - No silent shadowing: when two members claim the same listener port, host and path (with the same
 *   other conditions), the newcomer (later creationTimestamp) is refused, whatever its group.order.
 */

export type GroupNamespaces = 'same' | 'any';

const GROUP_NAME = annotationField(`${INGRESS_PREFIX}/group.name`);
const ingressName = (ingress: Ingress) => `${ingress.metadata.namespace ?? ''}/${ingress.metadata.name}`;

/** Oldest first; an object without a creationTimestamp counts as newest; ties by namespace/name. */
export function compareCreation(a: Ingress, b: Ingress): number {
  const at = a.metadata.creationTimestamp;
  const bt = b.metadata.creationTimestamp;
  if (at !== bt) {
    if (at === undefined) return 1;
    if (bt === undefined) return -1;
    const byTime = Date.parse(at) - Date.parse(bt);
    if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
  }
  const an = ingressName(a);
  const bn = ingressName(b);
  return an < bn ? -1 : an > bn ? 1 : 0;
}

/** Members of an explicit group from a namespace other than its oldest member's are refused (`same`). */
export function namespaceTenancy(
  groupName: string,
  members: readonly Ingress[],
  policy: GroupNamespaces,
): { members: Ingress[]; memberErrors: MemberError[] } {
  if (policy === 'any' || members.length === 0) return { members: [...members], memberErrors: [] };
  const owner = [...members].sort(compareCreation)[0]!;
  const ownerNamespace = owner.metadata.namespace ?? '';
  const kept: Ingress[] = [];
  const memberErrors: MemberError[] = [];
  for (const ingress of members) {
    if ((ingress.metadata.namespace ?? '') === ownerNamespace) kept.push(ingress);
    else {
      memberErrors.push(
        memberError(
          ingress,
          GROUP_NAME,
          `IngressGroup ${groupName} belongs to namespace ${ownerNamespace} (its oldest member is ${ingressName(owner)}); members from other namespaces are refused (groupNamespaces: same)`,
        ),
      );
    }
  }
  return { members: kept, memberErrors };
}

function values(condition: RuleCondition | undefined, name: 'host' | 'path'): string[] {
  if (!condition) return name === 'host' ? ['*any host*'] : [];
  const config =
    condition.field === 'host-header'
      ? condition.hostHeaderConfig
      : condition.field === 'path-pattern'
        ? condition.pathPatternConfig
        : undefined;
  return [...(config?.values ?? []), ...(config?.regexValues ?? []).map((regex) => `regex:${regex}`)];
}

/** `port host path <other conditions>` for each host and path value a member's rules match. */
function claims(member: MemberContribution): Map<string, string> {
  const result = new Map<string, string>();
  for (const rule of member.rules) {
    const host = rule.conditions.find((condition) => condition.field === 'host-header');
    const path = rule.conditions.find((condition) => condition.field === 'path-pattern');
    const others = JSON.stringify(
      rule.conditions.filter(
        (condition) => condition.field !== 'host-header' && condition.field !== 'path-pattern',
      ),
    );
    for (const listen of member.listenPorts) {
      for (const hostValue of values(host, 'host')) {
        for (const pathValue of values(path, 'path')) {
          const label = `port ${listen.port}, host ${hostValue}, path ${pathValue}${others === '[]' ? '' : ` with conditions ${others}`}`;
          result.set(`${listen.port}\n${hostValue}\n${pathValue}\n${others}`, label);
        }
      }
    }
  }
  return result;
}

/**
 * Refuses every member that claims a port + host + path an older member of the group already
 * claims. Members keep their group order.
 */
export function claimConflicts(contributions: readonly MemberContribution[]): {
  kept: MemberContribution[];
  memberErrors: MemberError[];
} {
  const owners = new Map<string, MemberContribution>();
  const refused = new Set<MemberContribution>();
  const memberErrors: MemberError[] = [];
  const byAge = [...contributions].sort((a, b) => compareCreation(a.ingress, b.ingress));
  for (const member of byAge) {
    const mine = claims(member);
    const taken = [...mine].find(([key]) => owners.has(key));
    if (taken) {
      const owner = owners.get(taken[0])!;
      refused.add(member);
      memberErrors.push(
        memberError(
          member.ingress,
          'spec.rules',
          `${taken[1]} is already routed by the older Ingress ${ingressName(owner.ingress)} of this group; a later Ingress may not take over its traffic (whatever its group.order)`,
        ),
      );
      continue;
    }
    for (const key of mine.keys()) owners.set(key, member);
  }
  return { kept: contributions.filter((member) => !refused.has(member)), memberErrors };
}
