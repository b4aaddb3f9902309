import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  type EC2Client,
  RevokeSecurityGroupIngressCommand,
  type IpPermission as SdkPermission,
} from '@aws-sdk/client-ec2';
import { NotFoundError } from '../errors.js';
import type { DiscoveredSecurityGroup, DiscoveredSubnet } from '../model/inputs.js';
import type { IpPermission } from '../model/stack.js';
import type { ActualSecurityGroup, TagMap } from '../plan/stack-actual.js';
import type { Change } from '../plan/stack-changes.js';
import { translateStackError } from './elbv2-stacks.js';

/**
 * The EC2 port of the stacks function: the VPC's subnets and security groups (for the model), the
 * stack's managed security group found by tags, and the security group changes of a plan.
 */
export type Ec2Change = Extract<
  Change,
  {
    op:
      | 'createSecurityGroup'
      | 'authorizeSecurityGroupIngress'
      | 'revokeSecurityGroupIngress'
      | 'deleteSecurityGroup';
  }
>;

export interface Ec2Stacks {
  subnets(vpcId: string): Promise<DiscoveredSubnet[]>;
  securityGroupsOfVpc(vpcId: string): Promise<DiscoveredSecurityGroup[]>;
  /**
   * The VPC's IPv4 and IPv6 CIDRs (DescribeVpcs), written into each ip binding so targets can
   * tell an in-VPC pod IP from one that needs AvailabilityZone=all without an EC2 client.
   */
  vpcCidrs(vpcId: string): Promise<string[]>;
  findSecurityGroups(tags: TagMap): Promise<ActualSecurityGroup[]>;
  apply(change: Ec2Change): Promise<{ groupId?: string }>;
}

const tagMap = (tags: { Key?: string; Value?: string }[] | undefined): TagMap =>
  Object.fromEntries((tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));

function toSdk(permissions: readonly IpPermission[]): SdkPermission[] {
  return permissions.map((p) => ({
    IpProtocol: p.ipProtocol,
    FromPort: p.fromPort,
    ToPort: p.toPort,
    ...(p.ipRanges ? { IpRanges: p.ipRanges.map((r) => ({ CidrIp: r.cidrIP })) } : {}),
    ...(p.ipv6Ranges ? { Ipv6Ranges: p.ipv6Ranges.map((r) => ({ CidrIpv6: r.cidrIPv6 })) } : {}),
  }));
}

function fromSdk(permissions: readonly SdkPermission[] | undefined): IpPermission[] {
  return (permissions ?? []).flatMap((p) =>
    p.IpProtocol === 'tcp' || p.IpProtocol === 'udp'
      ? [
          {
            ipProtocol: p.IpProtocol,
            fromPort: p.FromPort ?? 0,
            toPort: p.ToPort ?? 0,
            ipRanges: (p.IpRanges ?? []).map((r) => ({ cidrIP: r.CidrIp ?? '' })),
            ipv6Ranges: (p.Ipv6Ranges ?? []).map((r) => ({ cidrIPv6: r.CidrIpv6 ?? '' })),
          },
        ]
      : [],
  );
}

export function createEc2Stacks(client: EC2Client): Ec2Stacks {
  const call = async <T>(action: string, subject: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw translateStackError(error, action, subject);
    }
  };
  async function describeGroups(
    filters: { Name: string; Values: string[] }[],
  ): Promise<ActualSecurityGroup[]> {
    const out: ActualSecurityGroup[] = [];
    let token: string | undefined;
    do {
      const page = await call('DescribeSecurityGroups', 'by filter', () =>
        client.send(
          new DescribeSecurityGroupsCommand({ Filters: filters, ...(token ? { NextToken: token } : {}) }),
        ),
      );
      for (const group of page.SecurityGroups ?? []) {
        out.push({
          groupId: group.GroupId ?? '',
          groupName: group.GroupName ?? '',
          tags: tagMap(group.Tags),
          ingress: fromSdk(group.IpPermissions),
        });
      }
      token = page.NextToken;
    } while (token);
    return out;
  }
  return {
    async vpcCidrs(vpcId) {
      const result = await call('DescribeVpcs', vpcId, () =>
        client.send(new DescribeVpcsCommand({ VpcIds: [vpcId] })),
      );
      const vpc = result.Vpcs?.[0];
      if (vpc === undefined)
        throw new NotFoundError(`VPC ${vpcId} not found`, { subject: { kind: 'VPC', name: vpcId } });
      const cidrs = [
        ...(vpc.CidrBlockAssociationSet ?? []).flatMap((a) =>
          a.CidrBlock === undefined ? [] : [a.CidrBlock],
        ),
        ...(vpc.Ipv6CidrBlockAssociationSet ?? []).flatMap((a) =>
          a.Ipv6CidrBlock === undefined ? [] : [a.Ipv6CidrBlock],
        ),
      ];
      if (cidrs.length === 0 && vpc.CidrBlock !== undefined) cidrs.push(vpc.CidrBlock);
      return cidrs.sort();
    },

    async subnets(vpcId) {
      const out: DiscoveredSubnet[] = [];
      let token: string | undefined;
      do {
        const page = await call('DescribeSubnets', vpcId, () =>
          client.send(
            new DescribeSubnetsCommand({
              Filters: [{ Name: 'vpc-id', Values: [vpcId] }],
              ...(token ? { NextToken: token } : {}),
            }),
          ),
        );
        for (const subnet of page.Subnets ?? []) {
          out.push({
            subnetId: subnet.SubnetId ?? '',
            availabilityZone: subnet.AvailabilityZone ?? '',
            ...(subnet.CidrBlock ? { cidrBlock: subnet.CidrBlock } : {}),
            tags: tagMap(subnet.Tags),
            ...(subnet.AvailableIpAddressCount === undefined
              ? {}
              : { availableIpAddressCount: subnet.AvailableIpAddressCount }),
          });
        }
        token = page.NextToken;
      } while (token);
      return out;
    },
    async securityGroupsOfVpc(vpcId) {
      const groups = await describeGroups([{ Name: 'vpc-id', Values: [vpcId] }]);
      return groups.map((group) => ({ groupId: group.groupId, tags: group.tags }));
    },
    findSecurityGroups(tags) {
      return describeGroups(
        Object.entries(tags).map(([key, value]) => ({ Name: `tag:${key}`, Values: [value] })),
      );
    },
    async apply(change) {
      switch (change.op) {
        case 'createSecurityGroup': {
          const s = change.spec;
          const created = await call('CreateSecurityGroup', s.groupName, () =>
            client.send(
              new CreateSecurityGroupCommand({
                GroupName: s.groupName,
                Description: s.description,
                VpcId: change.vpcId,
                TagSpecifications: [
                  {
                    ResourceType: 'security-group',
                    Tags: Object.entries(s.tags).map(([Key, Value]) => ({ Key, Value })),
                  },
                ],
              }),
            ),
          );
          const groupId = created.GroupId ?? '';
          if (s.ingress.length > 0) {
            await call('AuthorizeSecurityGroupIngress', groupId, () =>
              client.send(
                new AuthorizeSecurityGroupIngressCommand({
                  GroupId: groupId,
                  IpPermissions: toSdk(s.ingress),
                }),
              ),
            );
          }
          return { groupId };
        }
        case 'authorizeSecurityGroupIngress':
          await call('AuthorizeSecurityGroupIngress', change.groupId, () =>
            client.send(
              new AuthorizeSecurityGroupIngressCommand({
                GroupId: change.groupId,
                IpPermissions: toSdk(change.permissions),
              }),
            ),
          );
          return {};
        case 'revokeSecurityGroupIngress':
          await call('RevokeSecurityGroupIngress', change.groupId, () =>
            client.send(
              new RevokeSecurityGroupIngressCommand({
                GroupId: change.groupId,
                IpPermissions: toSdk(change.permissions),
              }),
            ),
          );
          return {};
        case 'deleteSecurityGroup':
          try {
            await call('DeleteSecurityGroup', change.groupId, () =>
              client.send(new DeleteSecurityGroupCommand({ GroupId: change.groupId })),
            );
          } catch (error) {
            if ((error as Error).name !== 'NotFoundError') throw error;
          }
          return {};
      }
    },
  };
}
