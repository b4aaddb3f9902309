import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DeleteSecurityGroupCommand,
  DeleteTagsCommand,
  DescribeAvailabilityZonesCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
  type Filter,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateLoadBalancerCommand,
  DeleteLoadBalancerCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { describe, expect, it } from 'vitest';
import { rejection, useLocalAws } from './harness.js';

const VPC = 'vpc-0local00000000001';
const PUBLIC = ['subnet-0public00000001', 'subnet-0public00000002', 'subnet-0public00000003'];
const PRIVATE = ['subnet-0private0000001', 'subnet-0private0000002', 'subnet-0private0000003'];

describe('local EC2 through the SDK', () => {
  const local = useLocalAws();
  const ec2 = () => new EC2Client(local.config);

  it('describes the topology VPC with its CIDR', async () => {
    const { Vpcs } = await ec2().send(new DescribeVpcsCommand({}));
    expect(Vpcs).toEqual([
      expect.objectContaining({ VpcId: VPC, CidrBlock: '10.0.0.0/16', State: 'available' }),
    ]);
  });

  it.each<{ name: string; filters?: Filter[]; ids?: string[]; expected: string[] }>([
    { name: 'every subnet without filters', expected: [...PUBLIC, ...PRIVATE] },
    {
      name: 'tag:Key for public subnets',
      filters: [{ Name: 'tag:kubernetes.io/role/elb', Values: ['1'] }],
      expected: PUBLIC,
    },
    {
      name: 'tag-key for private subnets',
      filters: [{ Name: 'tag-key', Values: ['kubernetes.io/role/internal-elb'] }],
      expected: PRIVATE,
    },
    { name: 'vpc-id', filters: [{ Name: 'vpc-id', Values: [VPC] }], expected: [...PUBLIC, ...PRIVATE] },
    {
      name: 'a vpc-id that matches nothing',
      filters: [{ Name: 'vpc-id', Values: ['vpc-other'] }],
      expected: [],
    },
    {
      name: 'subnet-id with two values (OR)',
      filters: [{ Name: 'subnet-id', Values: [PUBLIC[0]!, PRIVATE[2]!] }],
      expected: [PUBLIC[0]!, PRIVATE[2]!],
    },
    {
      name: 'two filters (AND)',
      filters: [
        { Name: 'tag:kubernetes.io/cluster/demo', Values: ['shared', 'owned'] },
        { Name: 'availability-zone', Values: ['eu-west-1b'] },
      ],
      expected: [PUBLIC[1]!, PRIVATE[1]!],
    },
    { name: 'a wildcard tag value', filters: [{ Name: 'tag:Name', Values: ['public-*'] }], expected: PUBLIC },
    { name: 'SubnetIds', ids: [PRIVATE[0]!], expected: [PRIVATE[0]!] },
  ])('DescribeSubnets selects $name', async ({ filters, ids, expected }) => {
    const { Subnets = [] } = await ec2().send(
      new DescribeSubnetsCommand({ Filters: filters, SubnetIds: ids }),
    );
    expect(Subnets.map((s) => s.SubnetId).sort()).toEqual([...expected].sort());
  });

  it('returns subnet zones, CIDRs and tags as the SDK models them', async () => {
    const { Subnets = [] } = await ec2().send(new DescribeSubnetsCommand({ SubnetIds: [PUBLIC[0]!] }));
    expect(Subnets[0]).toMatchObject({
      AvailabilityZone: 'eu-west-1a',
      CidrBlock: '10.0.0.0/24',
      VpcId: VPC,
      AvailableIpAddressCount: 251,
      Tags: expect.arrayContaining([{ Key: 'kubernetes.io/role/elb', Value: '1' }]),
    });
  });

  it.each([
    {
      name: 'an unknown subnet id',
      input: { SubnetIds: ['subnet-0nothere'] },
      code: 'InvalidSubnetID.NotFound',
    },
    {
      name: 'an unknown filter name',
      input: { Filters: [{ Name: 'colour', Values: ['red'] }] },
      code: 'InvalidParameterValue',
    },
    {
      name: 'a pagination token it never issued',
      input: { NextToken: 'page-2' },
      code: 'InvalidPaginationToken',
    },
  ])('DescribeSubnets rejects $name with $code', async ({ input, code }) => {
    const error = await rejection(ec2().send(new DescribeSubnetsCommand(input)));
    expect(error.name).toBe(code);
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(400);
  });

  it('lists the three availability zones of the region', async () => {
    const { AvailabilityZones = [] } = await ec2().send(new DescribeAvailabilityZonesCommand({}));
    expect(AvailabilityZones.map((z) => [z.ZoneName, z.ZoneId, z.State])).toEqual([
      ['eu-west-1a', 'euw1-az1', 'available'],
      ['eu-west-1b', 'euw1-az2', 'available'],
      ['eu-west-1c', 'euw1-az3', 'available'],
    ]);
  });

  it('creates, describes, authorises, revokes and deletes a security group', async () => {
    const client = ec2();
    const created = await client.send(
      new CreateSecurityGroupCommand({
        GroupName: 'k8s-lb-1',
        Description: 'frontend',
        VpcId: VPC,
        TagSpecifications: [
          { ResourceType: 'security-group', Tags: [{ Key: 'elbv2.k8s.aws/cluster', Value: 'demo' }] },
        ],
      }),
    );
    const id = created.GroupId!;
    expect(id).toMatch(/^sg-[0-9a-f]{17}$/);
    const peer = await client.send(
      new CreateSecurityGroupCommand({ GroupName: 'k8s-lb-2', Description: 'peer', VpcId: VPC }),
    );

    const authorised = await client.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: id,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 443,
            ToPort: 443,
            IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'https' }],
          },
          { IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: peer.GroupId! }] },
        ],
      }),
    );
    expect(authorised.Return).toBe(true);
    expect(authorised.SecurityGroupRules).toHaveLength(2);

    const byTag = await client.send(
      new DescribeSecurityGroupsCommand({
        Filters: [{ Name: 'tag:elbv2.k8s.aws/cluster', Values: ['demo'] }],
      }),
    );
    expect(byTag.SecurityGroups?.map((g) => g.GroupId)).toEqual([id]);
    const group = byTag.SecurityGroups![0]!;
    expect(group.IpPermissions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
          IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'https' }],
        }),
        expect.objectContaining({
          FromPort: 8080,
          UserIdGroupPairs: [expect.objectContaining({ GroupId: peer.GroupId })],
        }),
      ]),
    );
    expect(group.IpPermissionsEgress).toEqual([
      expect.objectContaining({ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }),
    ]);

    const stillReferenced = await rejection(
      client.send(new DeleteSecurityGroupCommand({ GroupId: peer.GroupId! })),
    );
    expect(stillReferenced.name).toBe('DependencyViolation');

    await client.send(
      new RevokeSecurityGroupIngressCommand({
        GroupId: id,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: peer.GroupId! }] },
        ],
      }),
    );
    await client.send(new DeleteSecurityGroupCommand({ GroupId: peer.GroupId! }));
    await client.send(new DeleteSecurityGroupCommand({ GroupId: id }));
    const gone = await rejection(client.send(new DescribeSecurityGroupsCommand({ GroupIds: [id] })));
    expect(gone.name).toBe('InvalidGroup.NotFound');
  });

  it.each([
    {
      name: 'a duplicate ingress rule',
      code: 'InvalidPermission.Duplicate',
      act: async (client: EC2Client, id: string) => {
        const rule = { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '10.0.0.0/16' }] };
        await client.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [rule] }));
        return client.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [rule] }));
      },
    },
    {
      name: 'revoking a rule that does not exist',
      code: 'InvalidPermission.NotFound',
      act: (client: EC2Client, id: string) =>
        client.send(
          new RevokeSecurityGroupIngressCommand({
            GroupId: id,
            IpPermissions: [
              { IpProtocol: 'udp', FromPort: 53, ToPort: 53, IpRanges: [{ CidrIp: '10.1.0.0/16' }] },
            ],
          }),
        ),
    },
    {
      name: 'a malformed CIDR',
      code: 'InvalidParameterValue',
      act: (client: EC2Client, id: string) =>
        client.send(
          new AuthorizeSecurityGroupIngressCommand({
            GroupId: id,
            IpPermissions: [
              { IpProtocol: 'tcp', FromPort: 1, ToPort: 2, IpRanges: [{ CidrIp: '10.0.0.300/8' }] },
            ],
          }),
        ),
    },
    {
      name: 'a referenced group that does not exist',
      code: 'InvalidGroup.NotFound',
      act: (client: EC2Client, id: string) =>
        client.send(
          new AuthorizeSecurityGroupIngressCommand({
            GroupId: id,
            IpPermissions: [
              { IpProtocol: 'tcp', FromPort: 1, ToPort: 2, UserIdGroupPairs: [{ GroupId: 'sg-0nothere' }] },
            ],
          }),
        ),
    },
    {
      name: 'a second group with the same name',
      code: 'InvalidGroup.Duplicate',
      act: (client: EC2Client, _id: string, name: string) =>
        client.send(new CreateSecurityGroupCommand({ GroupName: name, Description: 'again', VpcId: VPC })),
    },
    {
      name: 'a group in an unknown VPC',
      code: 'InvalidVpcID.NotFound',
      act: (client: EC2Client) =>
        client.send(
          new CreateSecurityGroupCommand({ GroupName: 'elsewhere', Description: 'x', VpcId: 'vpc-0nothere' }),
        ),
    },
    {
      name: 'deleting an unknown group',
      code: 'InvalidGroup.NotFound',
      act: (client: EC2Client) => client.send(new DeleteSecurityGroupCommand({ GroupId: 'sg-0nothere' })),
    },
  ])('security groups reject $name with $code', async ({ act, code }) => {
    const client = ec2();
    const name = `group-${code}-${Math.random().toString(16).slice(2)}`;
    const { GroupId } = await client.send(
      new CreateSecurityGroupCommand({ GroupName: name, Description: 'x', VpcId: VPC }),
    );
    const error = await rejection(act(client, GroupId!, name));
    expect(error.name).toBe(code);
  });

  it('keeps IPv6 ranges and prefix lists as sources, and tells them apart from IPv4', async () => {
    const client = ec2();
    const { GroupId } = await client.send(
      new CreateSecurityGroupCommand({ GroupName: 'dualstack', Description: 'x', VpcId: VPC }),
    );
    const permissions = [
      {
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        IpRanges: [{ CidrIp: '0.0.0.0/0' }],
        Ipv6Ranges: [{ CidrIpv6: '::/0', Description: 'v6' }],
        PrefixListIds: [{ PrefixListId: 'pl-0abc' }],
      },
    ];
    const { SecurityGroupRules = [] } = await client.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: GroupId!, IpPermissions: permissions }),
    );
    expect(SecurityGroupRules.map((r) => r.CidrIpv4 ?? r.CidrIpv6 ?? r.PrefixListId)).toEqual([
      '0.0.0.0/0',
      '::/0',
      'pl-0abc',
    ]);
    const { SecurityGroups = [] } = await client.send(
      new DescribeSecurityGroupsCommand({ GroupIds: [GroupId!] }),
    );
    expect(SecurityGroups[0]?.IpPermissions).toEqual([
      expect.objectContaining({
        IpRanges: [{ CidrIp: '0.0.0.0/0' }],
        Ipv6Ranges: [{ CidrIpv6: '::/0', Description: 'v6' }],
        PrefixListIds: [{ PrefixListId: 'pl-0abc' }],
      }),
    ]);
    const duplicate = await rejection(
      client.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: GroupId!,
          IpPermissions: [
            { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
          ],
        }),
      ),
    );
    expect(duplicate.name).toBe('InvalidPermission.Duplicate');
    const malformed = await rejection(
      client.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: GroupId!,
          IpPermissions: [
            { IpProtocol: 'tcp', FromPort: 1, ToPort: 1, Ipv6Ranges: [{ CidrIpv6: '10.0.0.0/8' }] },
          ],
        }),
      ),
    );
    expect(malformed.name).toBe('InvalidParameterValue');
  });

  it('refuses to delete a security group a load balancer still uses', async () => {
    const client = ec2();
    const { GroupId } = await client.send(
      new CreateSecurityGroupCommand({ GroupName: 'alb-sg', Description: 'x', VpcId: VPC }),
    );
    const elbv2 = new ElasticLoadBalancingV2Client(local.config);
    const { LoadBalancers } = await elbv2.send(
      new CreateLoadBalancerCommand({
        Name: 'sg-user',
        Type: 'application',
        Subnets: PUBLIC.slice(0, 2),
        SecurityGroups: [GroupId!],
      }),
    );
    const error = await rejection(client.send(new DeleteSecurityGroupCommand({ GroupId: GroupId! })));
    expect(error.name).toBe('DependencyViolation');
    expect(error.message).toContain(LoadBalancers![0]!.LoadBalancerArn!);
    await elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: LoadBalancers![0]!.LoadBalancerArn! }));
    await client.send(new DeleteSecurityGroupCommand({ GroupId: GroupId! }));
  });

  it('tags and untags subnets and security groups, and rejects unknown resources', async () => {
    const client = ec2();
    const { GroupId } = await client.send(
      new CreateSecurityGroupCommand({ GroupName: 'tagged', Description: 'x', VpcId: VPC }),
    );
    await client.send(
      new CreateTagsCommand({
        Resources: [GroupId!, PUBLIC[2]!],
        Tags: [
          { Key: 'team', Value: 'edge' },
          { Key: 'tier', Value: 'web' },
        ],
      }),
    );
    const tagged = await client.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'tag:team', Values: ['edge'] }] }),
    );
    expect(tagged.Subnets?.map((s) => s.SubnetId)).toEqual([PUBLIC[2]]);

    await client.send(
      new DeleteTagsCommand({ Resources: [PUBLIC[2]!], Tags: [{ Key: 'team', Value: 'other' }] }),
    );
    const wrongValueKept = await client.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'tag:team', Values: ['edge'] }] }),
    );
    expect(wrongValueKept.Subnets).toHaveLength(1);
    await client.send(new DeleteTagsCommand({ Resources: [PUBLIC[2]!, GroupId!], Tags: [{ Key: 'team' }] }));
    const { SecurityGroups = [] } = await client.send(
      new DescribeSecurityGroupsCommand({ GroupIds: [GroupId!] }),
    );
    expect(SecurityGroups[0]?.Tags).toEqual([{ Key: 'tier', Value: 'web' }]);

    const unknown = await rejection(
      client.send(
        new CreateTagsCommand({ Resources: ['subnet-0nothere'], Tags: [{ Key: 'a', Value: 'b' }] }),
      ),
    );
    expect(unknown.name).toBe('InvalidSubnetID.NotFound');
  });

  it('describes instances the simulated cluster adds, by id and by filter', async () => {
    local.aws.services.ec2.addInstance({
      id: 'i-0123456789abcdef0',
      subnetId: PRIVATE[0]!,
      privateIp: '10.0.16.10',
    });
    local.aws.services.ec2.addInstance({
      id: 'i-0123456789abcdef1',
      subnetId: PRIVATE[1]!,
      privateIp: '10.0.32.10',
      tags: { role: 'node' },
    });
    const client = ec2();
    const all = await client.send(new DescribeInstancesCommand({}));
    const instances = all.Reservations?.flatMap((r) => r.Instances ?? []) ?? [];
    expect(
      instances.map((i) => [i.InstanceId, i.PrivateIpAddress, i.Placement?.AvailabilityZone, i.State?.Name]),
    ).toEqual([
      ['i-0123456789abcdef0', '10.0.16.10', 'eu-west-1a', 'running'],
      ['i-0123456789abcdef1', '10.0.32.10', 'eu-west-1b', 'running'],
    ]);
    const filtered = await client.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'private-ip-address', Values: ['10.0.32.10'] }] }),
    );
    expect(filtered.Reservations?.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId)).toEqual([
      'i-0123456789abcdef1',
    ]);

    expect(local.aws.services.ec2.removeInstance('i-0123456789abcdef0')).toBe(true);
    const error = await rejection(
      client.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })),
    );
    expect(error.name).toBe('InvalidInstanceID.NotFound');
  });

  it.each([
    {
      name: 'a subnet outside the topology',
      seed: { id: 'i-00000001', subnetId: 'subnet-0nothere', privateIp: '10.0.0.9' },
      message: /unknown subnetId/,
    },
    {
      name: 'an address outside the subnet',
      seed: { id: 'i-00000002', subnetId: PUBLIC[0]!, privateIp: '10.0.9.9' },
      message: /outside subnet/,
    },
    {
      name: 'a malformed id',
      seed: { id: 'node-1', subnetId: PUBLIC[0]!, privateIp: '10.0.0.9' },
      message: /8 or 17 hex/,
    },
    {
      name: 'a zone other than the subnet',
      seed: { id: 'i-00000003', subnetId: PUBLIC[0]!, privateIp: '10.0.0.9', availabilityZone: 'eu-west-1c' },
      message: /differs/,
    },
  ])('addInstance refuses $name', ({ seed, message }) => {
    expect(() => local.aws.services.ec2.addInstance(seed)).toThrow(message);
  });

  it('gives ELBv2 a live view of instances, subnets and groups', () => {
    const view = local.aws.services.ec2.view();
    local.aws.services.ec2.addInstance({ id: 'i-0000000a', subnetId: PUBLIC[1]!, privateIp: '10.0.1.7' });
    expect(view.instanceById('i-0000000a')).toMatchObject({ availabilityZone: 'eu-west-1b', vpcId: VPC });
    expect(view.subnetById(PUBLIC[1]!)?.tags).toMatchObject({ 'kubernetes.io/role/elb': '1' });
    expect(view.ipInCidr('10.0.200.1', view.vpcCidr)).toBe(true);
    expect(view.securityGroupExists('sg-0nothere')).toBe(false);
  });
});
