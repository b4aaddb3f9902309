/**
 * EC2 security groups: create, describe, delete, and ingress rules. Rules are stored one per
 * (protocol, ports, source) as EC2 does since security group rule IDs exist, and regrouped into
 * `IpPermissions` on the way out. Authorising a rule that exists is `InvalidPermission.Duplicate`
 * and revoking one that does not is `InvalidPermission.NotFound`, which is what the load
 * balancer controller's security group reconciliation has to cope with.
 */
import { isIPv6 } from 'node:net';
import { AwsApiError } from '../api-error.js';
import { parseCidr } from './cidr.js';
import { type Input, invalidValue, missing, optionalInt, optionalString, structList } from './input.js';

export interface SecurityGroupRule {
  id: string;
  protocol: string;
  fromPort: number | undefined;
  toPort: number | undefined;
  cidr: string | undefined;
  cidrIpv6: string | undefined;
  groupId: string | undefined;
  prefixListId: string | undefined;
  description: string | undefined;
}

export interface SecurityGroup {
  id: string;
  name: string;
  description: string;
  vpcId: string;
  tags: Map<string, string>;
  ingress: SecurityGroupRule[];
  egress: SecurityGroupRule[];
}

const PROTOCOLS: Record<string, string> = {
  '-1': '-1',
  all: '-1',
  tcp: 'tcp',
  '6': 'tcp',
  udp: 'udp',
  '17': 'udp',
  icmp: 'icmp',
  '1': 'icmp',
};

/** A rule as requested, before it has an ID. */
export type RuleSpec = Omit<SecurityGroupRule, 'id'>;

/** Reads `IpPermissions.N` into one spec per source (CIDR range or referenced group). */
export function parsePermissions(input: Input, groupExists: (id: string) => boolean): RuleSpec[] {
  const permissions = structList(input, 'IpPermissions');
  if (permissions.length === 0) throw missing('IpPermissions');
  return permissions.flatMap((permission, index) => {
    const at = `IpPermissions.${index + 1}`;
    const rawProtocol = optionalString(permission, 'IpProtocol');
    if (rawProtocol === undefined) throw missing(`${at}.IpProtocol`);
    const protocol = PROTOCOLS[rawProtocol.toLowerCase()];
    if (protocol === undefined)
      throw invalidValue(`${at}.IpProtocol`, rawProtocol, 'Use tcp, udp, icmp or -1.');
    let fromPort: number | undefined;
    let toPort: number | undefined;
    if (protocol === 'tcp' || protocol === 'udp') {
      fromPort = optionalInt(permission, 'FromPort', 0, 65535);
      toPort = optionalInt(permission, 'ToPort', 0, 65535);
      if (fromPort === undefined) throw missing(`${at}.FromPort`);
      if (toPort === undefined) throw missing(`${at}.ToPort`);
      if (fromPort > toPort)
        throw invalidValue(`${at}.FromPort`, fromPort, 'FromPort must not exceed ToPort.');
    } else if (protocol === 'icmp') {
      fromPort = optionalInt(permission, 'FromPort', -1, 255) ?? -1;
      toPort = optionalInt(permission, 'ToPort', -1, 255) ?? -1;
    }
    const specs: RuleSpec[] = [];
    const base = {
      protocol,
      fromPort,
      toPort,
      cidr: undefined,
      cidrIpv6: undefined,
      groupId: undefined,
      prefixListId: undefined,
    };
    structList(permission, 'IpRanges').forEach((range, r) => {
      const cidr = optionalString(range, 'CidrIp');
      if (cidr === undefined) throw missing(`${at}.IpRanges.${r + 1}.CidrIp`);
      if (parseCidr(cidr) === undefined)
        throw new AwsApiError('InvalidParameterValue', `CIDR block ${cidr} is malformed`);
      specs.push({ ...base, cidr, description: optionalString(range, 'Description') });
    });
    structList(permission, 'Ipv6Ranges').forEach((range, r) => {
      const cidrIpv6 = optionalString(range, 'CidrIpv6');
      if (cidrIpv6 === undefined) throw missing(`${at}.Ipv6Ranges.${r + 1}.CidrIpv6`);
      if (!isIpv6Cidr(cidrIpv6))
        throw new AwsApiError('InvalidParameterValue', `CIDR block ${cidrIpv6} is malformed`);
      specs.push({ ...base, cidrIpv6, description: optionalString(range, 'Description') });
    });
    structList(permission, 'Groups').forEach((pair, p) => {
      const groupId = optionalString(pair, 'GroupId');
      if (groupId === undefined) throw missing(`${at}.Groups.${p + 1}.GroupId`);
      if (!groupExists(groupId)) throw groupNotFound(groupId);
      specs.push({ ...base, groupId, description: optionalString(pair, 'Description') });
    });
    structList(permission, 'PrefixListIds').forEach((entry, p) => {
      const prefixListId = optionalString(entry, 'PrefixListId');
      if (prefixListId === undefined) throw missing(`${at}.PrefixListIds.${p + 1}.PrefixListId`);
      if (!/^pl-[0-9a-f]+$/.test(prefixListId)) {
        throw new AwsApiError(
          'InvalidPrefixListId.Malformed',
          `The prefix list ID '${prefixListId}' is malformed`,
        );
      }
      specs.push({ ...base, prefixListId, description: optionalString(entry, 'Description') });
    });
    if (specs.length === 0) throw missing(`${at}.IpRanges, Ipv6Ranges, Groups or PrefixListIds`);
    return specs;
  });
}

export function sameRule(a: RuleSpec, b: RuleSpec): boolean {
  return (
    a.protocol === b.protocol &&
    a.fromPort === b.fromPort &&
    a.toPort === b.toPort &&
    a.cidr === b.cidr &&
    a.cidrIpv6 === b.cidrIpv6 &&
    a.groupId === b.groupId &&
    a.prefixListId === b.prefixListId
  );
}

function isIpv6Cidr(value: string): boolean {
  const slash = value.lastIndexOf('/');
  const prefix = value.slice(slash + 1);
  return slash > 0 && isIPv6(value.slice(0, slash)) && /^\d{1,3}$/.test(prefix) && Number(prefix) <= 128;
}

export function describeRule(rule: RuleSpec): string {
  const ports = rule.fromPort === undefined ? 'ALL' : `from port: ${rule.fromPort}, to port: ${rule.toPort}`;
  return `peer: ${rule.cidr ?? rule.cidrIpv6 ?? rule.groupId ?? rule.prefixListId}, ${rule.protocol.toUpperCase()}, ${ports}, ALLOW`;
}

export function groupNotFound(id: string): AwsApiError {
  return new AwsApiError('InvalidGroup.NotFound', `The security group '${id}' does not exist`);
}

/** Rules regrouped as EC2 shows them: one IpPermission per (protocol, ports), sources listed inside. */
interface IpPermissionView {
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  ipRanges: unknown[];
  ipv6Ranges: unknown[];
  groups: unknown[];
  prefixListIds: unknown[];
}

export function toIpPermissions(rules: readonly SecurityGroupRule[], account: string): IpPermissionView[] {
  const byKey = new Map<string, IpPermissionView>();
  for (const rule of rules) {
    const key = `${rule.protocol}|${rule.fromPort}|${rule.toPort}`;
    let permission = byKey.get(key);
    if (permission === undefined) {
      permission = {
        ipProtocol: rule.protocol,
        ...(rule.fromPort === undefined ? {} : { fromPort: rule.fromPort, toPort: rule.toPort }),
        ipRanges: [],
        ipv6Ranges: [],
        groups: [],
        prefixListIds: [],
      };
      byKey.set(key, permission);
    }
    const description = rule.description;
    if (rule.cidr !== undefined) permission.ipRanges.push({ cidrIp: rule.cidr, description });
    if (rule.cidrIpv6 !== undefined) permission.ipv6Ranges.push({ cidrIpv6: rule.cidrIpv6, description });
    if (rule.groupId !== undefined)
      permission.groups.push({ groupId: rule.groupId, userId: account, description });
    if (rule.prefixListId !== undefined)
      permission.prefixListIds.push({ prefixListId: rule.prefixListId, description });
  }
  return [...byKey.values()];
}

export function toRuleSet(
  group: SecurityGroup,
  rules: readonly SecurityGroupRule[],
  account: string,
  isEgress: boolean,
) {
  return rules.map((rule) => ({
    securityGroupRuleId: rule.id,
    groupId: group.id,
    groupOwnerId: account,
    isEgress,
    ipProtocol: rule.protocol,
    fromPort: rule.fromPort ?? -1,
    toPort: rule.toPort ?? -1,
    cidrIpv4: rule.cidr,
    cidrIpv6: rule.cidrIpv6,
    prefixListId: rule.prefixListId,
    referencedGroupInfo: rule.groupId === undefined ? undefined : { groupId: rule.groupId, userId: account },
    description: rule.description,
  }));
}
