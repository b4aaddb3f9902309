import { annotationField, INGRESS_PREFIX } from '../annotations/parse.js';
import type { MemberError } from '../stack.js';
import { memberError } from './group.js';
import type { MemberContribution } from './member.js';
import type { MergedGroup } from './merge.js';

/**
 * Checks that need the whole merged group. Each names the members to refuse; the group build drops
 * them and merges again until nothing is refused.
 */

export interface Quotas {
  /** listener rules per ALB */
  rules: number;
  /** unique target groups per ALB */
  targetGroups: number;
}

export function groupChecks(group: MergedGroup, quotas: Quotas): MemberError[] {
  for (const check of [sslRedirectProblems, certificateProblems, addressTypeProblems, authProblems]) {
    const refused = check(group);
    if (refused.length > 0) return refused;
  }
  return capacityProblems(group, quotas);
}

function sslRedirectProblems(group: MergedGroup): MemberError[] {
  const redirect = group.scalars.sslRedirectPort;
  if (!redirect) return [];
  const port = redirect.value.value;
  const listener = group.ports.get(port);
  const problem = !listener
    ? `listener does not exist for SSLRedirect port: ${port}`
    : listener.protocol !== 'HTTPS'
      ? `listener protocol non-SSL for SSLRedirect port: ${port}`
      : undefined;
  if (!problem) return [];
  return group.members.flatMap((member) =>
    member.settings.sslRedirectPort
      ? [memberError(member.ingress, annotationField(member.settings.sslRedirectPort.key), problem)]
      : [],
  );
}

function certificateProblems(group: MergedGroup): MemberError[] {
  const refused: MemberError[] = [];
  for (const listener of group.ports.values()) {
    if (listener.protocol !== 'HTTPS' || listener.certificateArns.length > 0) continue;
    for (const member of listener.members) {
      refused.push(
        memberError(
          member.ingress,
          annotationField(`${INGRESS_PREFIX}/certificate-arn`),
          `no certificate for HTTPS listener port ${listener.port}: certificate discovery is not supported, name one in ${INGRESS_PREFIX}/certificate-arn`,
        ),
      );
    }
  }
  return refused;
}

/** IPv6 Services need a dual-stack ALB. */
function addressTypeProblems(group: MergedGroup): MemberError[] {
  if ((group.scalars.ipAddressType?.value.value ?? 'ipv4') !== 'ipv4') return [];
  return group.members.flatMap((member) => {
    const ipv6 = targetGroupsOf(member, false).find((entry) => entry.resource.spec.ipAddressType === 'ipv6');
    return ipv6
      ? [
          memberError(
            member.ingress,
            annotationField(`${INGRESS_PREFIX}/ip-address-type`),
            'unsupported IPv6 configuration, lb not dual-stack',
          ),
        ]
      : [];
  });
}

/**
 * The LBC puts authenticate actions on HTTPS listeners only, so an HTTP listener would serve the
 * same paths unauthenticated. Fail closed: such a member is refused unless the group redirects HTTP.
 */
function authProblems(group: MergedGroup): MemberError[] {
  if (group.scalars.sslRedirectPort) return [];
  return group.members.flatMap((member) => {
    const authenticated = member.rules.some((rule) => rule.auth) || member.defaultBackend?.auth !== undefined;
    const http = member.listenPorts.find((listen) => listen.protocol === 'HTTP');
    if (!authenticated || !http) return [];
    return [
      memberError(
        member.ingress,
        annotationField(`${INGRESS_PREFIX}/auth-type`),
        `authentication runs on HTTPS listeners only, so HTTP listener port ${http.port} would serve this Ingress unauthenticated: listen on HTTPS only, or set ${INGRESS_PREFIX}/ssl-redirect`,
      ),
    ];
  });
}

/** Rules a member adds: one per path on each of its listeners that carries rules. */
function ruleCount(member: MemberContribution, sslRedirect: boolean): number {
  return member.rules.length * rulePorts(member, sslRedirect);
}

function rulePorts(member: MemberContribution, sslRedirect: boolean): number {
  return member.listenPorts.filter((listen) => !(sslRedirect && listen.protocol === 'HTTP')).length;
}

function targetGroupsOf(member: MemberContribution, sslRedirect: boolean) {
  const fromRules =
    rulePorts(member, sslRedirect) > 0 ? member.rules.flatMap((rule) => rule.targetGroups) : [];
  return [...fromRules, ...(member.defaultBackend?.targetGroups ?? [])];
}

/**
 * AWS refuses the 101st rule or target group on an ALB (and the LBC then stalls the whole group).
 * Here members are admitted in group order while they fit; one that does not is refused and later
 * members that fit are still admitted.
 */
function capacityProblems(group: MergedGroup, quotas: Quotas): MemberError[] {
  const sslRedirect = group.scalars.sslRedirectPort !== undefined;
  const refused: MemberError[] = [];
  let rules = 0;
  const targetGroups = new Set<string>();
  for (const member of group.members) {
    const count = ruleCount(member, sslRedirect);
    const ids = new Set(targetGroupsOf(member, sslRedirect).map((entry) => entry.id));
    const newIds = [...ids].filter((id) => !targetGroups.has(id));
    if (rules + count > quotas.rules) {
      refused.push(
        memberError(
          member.ingress,
          'spec.rules',
          `needs ${count} listener rule(s) but only ${quotas.rules - rules} of the load balancer's ${quotas.rules} remain after the members before it in group order`,
        ),
      );
    } else if (targetGroups.size + newIds.length > quotas.targetGroups) {
      refused.push(
        memberError(
          member.ingress,
          'spec.rules',
          `needs ${newIds.length} target group(s) but only ${quotas.targetGroups - targetGroups.size} of the load balancer's ${quotas.targetGroups} remain after the members before it in group order`,
        ),
      );
    } else {
      rules += count;
      for (const id of newIds) targetGroups.add(id);
    }
  }
  return refused;
}
