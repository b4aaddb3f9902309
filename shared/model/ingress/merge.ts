import { annotationField, goList } from '../annotations/parse.js';
import type { MemberError } from '../stack.js';
import type { ResolvedBackend } from './backend.js';
import { memberError } from './group.js';
import type { GroupSettings, MemberContribution, Setting } from './member.js';

/**
 * Merging members into one group, in member order. The first member to set a group-wide value
 * provides it; a later member with a different value is refused with an error naming it and the
 * annotation, and contributes nothing. (The LBC fails the whole group here instead.)
 */

export interface Provided<T> {
  value: T;
  from: MemberContribution;
}

export interface MergedPort {
  port: number;
  protocol: 'HTTP' | 'HTTPS';
  inboundCidrs?: Provided<string[]>;
  sslPolicy?: Provided<string>;
  /** union in member order, first seen wins the position (the first is the default certificate) */
  certificateArns: string[];
  /** members that declared this port, in member order: only they put rules on its listener */
  members: MemberContribution[];
  defaultBackend?: Provided<ResolvedBackend>;
  /** `listener-attributes.*`: the first member to set a key provides it */
  attributes: Map<string, Provided<string>>;
  provider: MemberContribution;
}

type Scalar =
  | 'scheme'
  | 'ipAddressType'
  | 'loadBalancerName'
  | 'subnetIds'
  | 'securityGroups'
  | 'sslRedirectPort'
  | 'wafv2AclArn'
  | 'shieldAdvancedProtection';

export interface MergedGroup {
  members: MemberContribution[];
  scalars: { [K in Scalar]?: Provided<NonNullable<GroupSettings[K]>> };
  loadBalancerAttributes: Map<string, Provided<string>>;
  tags: Map<string, Provided<string>>;
  ports: Map<number, MergedPort>;
}

const SCALARS: readonly Scalar[] = [
  'scheme',
  'ipAddressType',
  'loadBalancerName',
  'subnetIds',
  'securityGroups',
  'sslRedirectPort',
  'wafv2AclArn',
  'shieldAdvancedProtection',
];

const SCALAR_LABEL: Record<Scalar, string> = {
  scheme: 'scheme',
  ipAddressType: 'IPAddressType',
  loadBalancerName: 'load balancer name',
  subnetIds: 'subnets',
  securityGroups: 'securityGroups',
  sslRedirectPort: 'sslRedirect port',
  wafv2AclArn: 'WAFv2 WebACL ARNs',
  shieldAdvancedProtection: 'enable shield advanced protection',
};

const nameOf = (member: MemberContribution) => `${member.ref.namespace}/${member.ref.name}`;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const sameSet = (a: readonly string[], b: readonly string[]) => same([...a].sort(), [...b].sort());

function scalarConflict(
  scalar: Scalar,
  provided: Provided<Setting<unknown>>,
  mine: Setting<unknown>,
): string {
  if (scalar === 'sslRedirectPort') {
    const ports = [provided.value.value as number, mine.value as number].sort((a, b) => a - b);
    return `conflicting sslRedirect port: ${goList(ports)}`;
  }
  // the LBC's texts for the load balancer add-ons (model_build_load_balancer_addons.go)
  if (scalar === 'wafv2AclArn') {
    const arns = [String(provided.value.value), String(mine.value)].sort();
    return `conflicting WAFv2 WebACL ARNs: ${goList(arns)}`;
  }
  if (scalar === 'shieldAdvancedProtection') return 'conflicting enable shield advanced protection';
  const show = (value: unknown) => (Array.isArray(value) ? goList(value) : String(value));
  return `conflicting ${SCALAR_LABEL[scalar]}: ${nameOf(provided.from)}: ${show(provided.value.value)} | ${show(mine.value)}`;
}

/** The first reason this member cannot join the group as merged so far, or undefined. */
function conflictOf(group: MergedGroup, member: MemberContribution): MemberError | undefined {
  const { ingress, settings } = member;
  for (const scalar of SCALARS) {
    const mine = settings[scalar] as Setting<unknown> | undefined;
    const provided = group.scalars[scalar] as Provided<Setting<unknown>> | undefined;
    if (!mine || !provided) continue;
    const equal =
      scalar === 'subnetIds'
        ? sameSet(mine.value as string[], provided.value.value as string[])
        : same(mine.value, provided.value.value);
    if (!equal)
      return memberError(ingress, annotationField(mine.key), scalarConflict(scalar, provided, mine));
  }
  const mapConflict = (
    mine: Setting<Record<string, string>> | undefined,
    merged: Map<string, Provided<string>>,
    label: string,
  ) => {
    for (const [name, value] of Object.entries(mine?.value ?? {})) {
      const provided = merged.get(name);
      if (provided && provided.value !== value) {
        return memberError(
          ingress,
          annotationField(mine!.key),
          `conflicting ${label} ${name}: ${nameOf(provided.from)}: ${provided.value} | ${value}`,
        );
      }
    }
    return undefined;
  };
  const attributes = mapConflict(
    settings.loadBalancerAttributes,
    group.loadBalancerAttributes,
    'load balancer attributes',
  );
  if (attributes) return attributes;
  const tags = mapConflict(settings.tags, group.tags, 'tag');
  if (tags) return tags;
  for (const listen of member.listenPorts) {
    const merged = group.ports.get(listen.port);
    if (!merged) continue;
    const field = 'metadata.annotations["alb.ingress.kubernetes.io/listen-ports"]';
    if (merged.protocol !== listen.protocol) {
      return memberError(
        ingress,
        field,
        `conflicting protocol, ${nameOf(merged.provider)}: ${merged.protocol} | ${nameOf(member)}: ${listen.protocol}`,
      );
    }
    if (
      listen.inboundCidrs &&
      merged.inboundCidrs &&
      !sameSet(listen.inboundCidrs, merged.inboundCidrs.value)
    ) {
      return memberError(
        ingress,
        'metadata.annotations["alb.ingress.kubernetes.io/inbound-cidrs"]',
        `conflicting inbound-cidrs, ${nameOf(merged.inboundCidrs.from)}: ${goList(merged.inboundCidrs.value)} | ${nameOf(member)}: ${goList(listen.inboundCidrs)}`,
      );
    }
    if (listen.sslPolicy && merged.sslPolicy && listen.sslPolicy !== merged.sslPolicy.value) {
      return memberError(
        ingress,
        'metadata.annotations["alb.ingress.kubernetes.io/ssl-policy"]',
        `conflicting sslPolicy, ${nameOf(merged.sslPolicy.from)}: ${merged.sslPolicy.value} | ${nameOf(member)}: ${listen.sslPolicy}`,
      );
    }
    for (const [name, value] of Object.entries(listen.attributes ?? {})) {
      const provided = merged.attributes.get(name);
      if (provided && provided.value !== value) {
        // the LBC's text; it fails the whole group, slbc refuses the later member
        return memberError(
          ingress,
          annotationField(`alb.ingress.kubernetes.io/listener-attributes.${listen.protocol}-${listen.port}`),
          `conflicting listener attributes ${name}: ${provided.value} | ${value} for ingress ${nameOf(member)}`,
        );
      }
    }
    if (member.defaultBackend && merged.defaultBackend) {
      return memberError(
        ingress,
        'spec.defaultBackend',
        `multiple ingress defined default backend: ${goList([nameOf(merged.defaultBackend.from), nameOf(member)])}`,
      );
    }
  }
  return undefined;
}

function apply(group: MergedGroup, member: MemberContribution): void {
  group.members.push(member);
  for (const scalar of SCALARS) {
    const mine = member.settings[scalar];
    if (mine && !group.scalars[scalar]) {
      (group.scalars as Record<Scalar, Provided<unknown>>)[scalar] = { value: mine, from: member };
    }
  }
  for (const [name, value] of Object.entries(member.settings.loadBalancerAttributes?.value ?? {})) {
    if (!group.loadBalancerAttributes.has(name))
      group.loadBalancerAttributes.set(name, { value, from: member });
  }
  for (const [name, value] of Object.entries(member.settings.tags?.value ?? {})) {
    if (!group.tags.has(name)) group.tags.set(name, { value, from: member });
  }
  for (const listen of member.listenPorts) {
    let merged = group.ports.get(listen.port);
    if (!merged) {
      merged = {
        port: listen.port,
        protocol: listen.protocol,
        certificateArns: [],
        members: [],
        attributes: new Map(),
        provider: member,
      };
      group.ports.set(listen.port, merged);
    }
    merged.members.push(member);
    if (listen.inboundCidrs && !merged.inboundCidrs)
      merged.inboundCidrs = { value: listen.inboundCidrs, from: member };
    if (listen.sslPolicy && !merged.sslPolicy) merged.sslPolicy = { value: listen.sslPolicy, from: member };
    for (const arn of listen.certificateArns) {
      if (!merged.certificateArns.includes(arn)) merged.certificateArns.push(arn);
    }
    for (const [name, value] of Object.entries(listen.attributes ?? {})) {
      if (!merged.attributes.has(name)) merged.attributes.set(name, { value, from: member });
    }
    if (member.defaultBackend && !merged.defaultBackend) {
      merged.defaultBackend = { value: member.defaultBackend, from: member };
    }
  }
}

export function mergeMembers(members: readonly MemberContribution[]): {
  group: MergedGroup;
  memberErrors: MemberError[];
} {
  const group: MergedGroup = {
    members: [],
    scalars: {},
    loadBalancerAttributes: new Map(),
    tags: new Map(),
    ports: new Map(),
  };
  const memberErrors: MemberError[] = [];
  for (const member of members) {
    const conflict = conflictOf(group, member);
    if (conflict) memberErrors.push(conflict);
    else apply(group, member);
  }
  return { group, memberErrors };
}
