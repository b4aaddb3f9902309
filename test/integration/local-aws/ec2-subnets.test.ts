/**
 * DescribeSubnets' IPv6 and DNS-name fields, through the SDK (so the XML element names are the
 * ones the EC2 client parses). EC2 API reference, Subnet: AssignIpv6AddressOnCreation,
 * Ipv6CidrBlockAssociationSet (AssociationId, Ipv6CidrBlock, Ipv6CidrBlockState.State,
 * Ipv6AddressAttribute, IpSource), EnableDns64, Ipv6Native, PrivateDnsNameOptionsOnLaunch
 * (HostnameType ip-name | resource-name, EnableResourceNameDnsARecord,
 * EnableResourceNameDnsAAAARecord), BlockPublicAccessStates, MapCustomerOwnedIpOnLaunch.
 */
import { DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { defaultTopology } from '../../../infra/local/aws/topology.js';
import { useLocalAws } from './harness.js';

const topology = defaultTopology();
const [first] = topology.subnets;
if (first) first.ipv6Cidr = '2a05:d018:1:a100::/64';

describe('DescribeSubnets IPv6 and DNS-name fields (SDK)', () => {
  const local = useLocalAws({ topology });
  const subnets = async (filters: { Name: string; Values: string[] }[] = []) =>
    (await new EC2Client(local.config).send(new DescribeSubnetsCommand({ Filters: filters }))).Subnets ?? [];

  it('an IPv4-only subnet: an empty association set and the documented defaults', async () => {
    const subnet = (await subnets()).find((s) => s.SubnetId === 'subnet-0private0000001');
    expect(subnet).toMatchObject({
      AssignIpv6AddressOnCreation: false,
      Ipv6CidrBlockAssociationSet: [],
      EnableDns64: false,
      Ipv6Native: false,
      MapCustomerOwnedIpOnLaunch: false,
      PrivateDnsNameOptionsOnLaunch: {
        HostnameType: 'ip-name',
        EnableResourceNameDnsARecord: false,
        EnableResourceNameDnsAAAARecord: false,
      },
      BlockPublicAccessStates: { InternetGatewayBlockMode: 'off' },
    });
  });

  it('a subnet with an IPv6 /64: its association, associated, and found by the IPv6 filter', async () => {
    const found = await subnets([
      { Name: 'ipv6-cidr-block-association.ipv6-cidr-block', Values: ['2a05:d018:1:a100::/64'] },
    ]);
    expect(found.map((s) => s.SubnetId)).toEqual([first?.id]);
    expect(found[0]?.Ipv6CidrBlockAssociationSet).toEqual([
      {
        AssociationId: expect.stringMatching(/^subnet-cidr-assoc-[0-9a-z]{17}$/),
        Ipv6CidrBlock: '2a05:d018:1:a100::/64',
        Ipv6CidrBlockState: { State: 'associated' },
        Ipv6AddressAttribute: 'public',
        IpSource: 'amazon',
      },
    ]);
  });
});
