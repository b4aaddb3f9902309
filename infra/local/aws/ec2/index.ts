/**
 * The EC2 slice slbc and the ELBv2 emulator need: the VPC and subnets of the topology,
 * availability zones, security groups with ingress rules, tags, and the instances (nodes) the
 * simulated cluster adds. State is in memory; `view()` gives ELBv2 a read-only window on it.
 */
import type { ServiceContext } from '../context.js';
import { AwsApiError, type Ec2View, type InstanceSeed, type LocalService, type Quotas } from '../service.js';
import { ipInCidr, usableAddresses } from './cidr.js';
import { type FilterFields, matchesFilters, parseFilters } from './filters.js';
import { type Input, invalidValue, optionalString, requiredString, stringList } from './input.js';
import {
  describeRule,
  groupNotFound,
  parsePermissions,
  type SecurityGroup,
  type SecurityGroupRule,
  sameRule,
  toIpPermissions,
  toRuleSet,
} from './security-groups.js';
import { applyTags, parseTags, removeTags, tagSet, tagsFromSpecifications } from './tags.js';

interface Subnet {
  id: string;
  vpcId: string;
  availabilityZone: string;
  cidr: string;
  ipv6Cidr?: string;
  tags: Map<string, string>;
}

interface Instance {
  id: string;
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  privateIp: string;
  instanceType: string;
  state: string;
  tags: Map<string, string>;
}

const INSTANCE_STATE_CODES: Record<string, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export interface Ec2Service extends LocalService {
  readonly name: 'ec2';
  view(): Ec2View;
  /** a node joins: the simulated cluster registers its instance */
  addInstance(seed: InstanceSeed): void;
  removeInstance(id: string): boolean;
  /**
   * Tells EC2 who else holds security groups (ELBv2 load balancers): deleting a group in use is
   * `DependencyViolation`, as it is while a load balancer's network interfaces still carry it.
   */
  setSecurityGroupUsers(usedBy: (groupId: string) => string | undefined): void;
}

export function createEc2Service(
  ctx: ServiceContext,
  quotas: Pick<Quotas, 'securityGroupsPerVpc' | 'rulesPerSecurityGroup'>,
): Ec2Service {
  const { account, region, topology } = ctx;
  const vpc = { id: topology.vpc.id, cidr: topology.vpc.cidr, tags: new Map<string, string>() };
  const subnets = new Map<string, Subnet>(
    topology.subnets.map((s) => [s.id, { ...s, vpcId: vpc.id, tags: new Map(Object.entries(s.tags)) }]),
  );
  const zones = [...new Set(topology.subnets.map((s) => s.availabilityZone))].sort();
  const groups = new Map<string, SecurityGroup>();
  const instances = new Map<string, Instance>();
  let externalUser: (groupId: string) => string | undefined = () => undefined;
  let sequence = 0;
  const newId = (prefix: string) => `${prefix}-0${(++sequence).toString(16).padStart(16, '0')}`;

  const zoneId = (zone: string) => {
    const [area = '', direction = '', number = ''] = region.split('-');
    return `${area}${direction.charAt(0)}${number}-az${zones.indexOf(zone) + 1}`;
  };

  const subnetFields: FilterFields<Subnet> = {
    'subnet-id': (s) => [s.id],
    'vpc-id': (s) => [s.vpcId],
    'availability-zone': (s) => [s.availabilityZone],
    availabilityZone: (s) => [s.availabilityZone],
    'availability-zone-id': (s) => [zoneId(s.availabilityZone)],
    'cidr-block': (s) => [s.cidr],
    'ipv6-cidr-block-association.ipv6-cidr-block': (s) => (s.ipv6Cidr === undefined ? [] : [s.ipv6Cidr]),
    'ipv6-native': () => ['false'],
    cidrBlock: (s) => [s.cidr],
    cidr: (s) => [s.cidr],
    state: () => ['available'],
    'default-for-az': () => ['false'],
  };
  const vpcFields: FilterFields<typeof vpc> = {
    'vpc-id': (v) => [v.id],
    'cidr-block': (v) => [v.cidr],
    cidr: (v) => [v.cidr],
    'cidr-block-association.cidr-block': (v) => [v.cidr],
    state: () => ['available'],
    'is-default': () => ['false'],
    'owner-id': () => [account],
  };
  const groupFields: FilterFields<SecurityGroup> = {
    'group-id': (g) => [g.id],
    'group-name': (g) => [g.name],
    'vpc-id': (g) => [g.vpcId],
    description: (g) => [g.description],
    'owner-id': () => [account],
  };
  const instanceFields: FilterFields<Instance> = {
    'instance-id': (i) => [i.id],
    'subnet-id': (i) => [i.subnetId],
    'vpc-id': (i) => [i.vpcId],
    'availability-zone': (i) => [i.availabilityZone],
    'private-ip-address': (i) => [i.privateIp],
    'instance-state-name': (i) => [i.state],
    'instance-type': (i) => [i.instanceType],
  };
  const zoneFields: FilterFields<string> = {
    'zone-name': (z) => [z],
    'zone-id': (z) => [zoneId(z)],
    'region-name': () => [region],
    state: () => ['available'],
    'zone-type': () => ['availability-zone'],
  };

  const subnetView = (s: Subnet) => ({
    subnetId: s.id,
    subnetArn: `arn:aws:ec2:${region}:${account}:subnet/${s.id}`,
    vpcId: s.vpcId,
    cidrBlock: s.cidr,
    availabilityZone: s.availabilityZone,
    availabilityZoneId: zoneId(s.availabilityZone),
    availableIpAddressCount:
      usableAddresses(s.cidr) - [...instances.values()].filter((i) => i.subnetId === s.id).length,
    state: 'available',
    defaultForAz: false,
    mapPublicIpOnLaunch: false,
    mapCustomerOwnedIpOnLaunch: false,
    ownerId: account,
    // the IPv6 and DNS-name fields DescribeSubnets always returns (EC2 API reference, Subnet)
    assignIpv6AddressOnCreation: false,
    ipv6CidrBlockAssociationSet:
      s.ipv6Cidr === undefined
        ? []
        : [
            {
              associationId: `subnet-cidr-assoc-${s.id.slice('subnet-'.length).padStart(17, '0').slice(-17)}`,
              ipv6CidrBlock: s.ipv6Cidr,
              ipv6CidrBlockState: { state: 'associated' },
              ipv6AddressAttribute: 'public',
              ipSource: 'amazon',
            },
          ],
    enableDns64: false,
    ipv6Native: false,
    privateDnsNameOptionsOnLaunch: {
      hostnameType: 'ip-name',
      enableResourceNameDnsARecord: false,
      enableResourceNameDnsAAAARecord: false,
    },
    blockPublicAccessStates: { internetGatewayBlockMode: 'off' },
    tagSet: tagSet(s.tags),
  });

  const groupView = (g: SecurityGroup) => ({
    groupId: g.id,
    groupName: g.name,
    groupDescription: g.description,
    vpcId: g.vpcId,
    ownerId: account,
    securityGroupArn: `arn:aws:ec2:${region}:${account}:security-group/${g.id}`,
    ipPermissions: toIpPermissions(g.ingress, account),
    ipPermissionsEgress: toIpPermissions(g.egress, account),
    tagSet: tagSet(g.tags),
  });

  const instanceView = (i: Instance) => ({
    instanceId: i.id,
    imageId: 'ami-0local000000000001',
    instanceType: i.instanceType,
    instanceState: { code: INSTANCE_STATE_CODES[i.state] ?? 16, name: i.state },
    privateIpAddress: i.privateIp,
    privateDnsName: `ip-${i.privateIp.replaceAll('.', '-')}.${region}.compute.internal`,
    subnetId: i.subnetId,
    vpcId: i.vpcId,
    placement: { availabilityZone: i.availabilityZone },
    tagSet: tagSet(i.tags),
  });

  /** Looks ids up in order, failing on the first unknown one as EC2 does. */
  function byIds<T>(
    ids: string[],
    table: ReadonlyMap<string, T>,
    notFound: (id: string) => AwsApiError,
  ): T[] {
    return ids.map((id) => {
      const item = table.get(id);
      if (item === undefined) throw notFound(id);
      return item;
    });
  }

  function groupByIdOrName(input: Input): SecurityGroup {
    const id = optionalString(input, 'GroupId');
    if (id !== undefined) {
      const group = groups.get(id);
      if (group === undefined) throw groupNotFound(id);
      return group;
    }
    const name = requiredString(input, 'GroupId');
    const group = [...groups.values()].find((g) => g.name === name);
    if (group === undefined) throw groupNotFound(name);
    return group;
  }

  function taggable(id: string): Map<string, string> {
    const notFound = (code: string, what: string) =>
      new AwsApiError(code, `The ${what} '${id}' does not exist`);
    if (id === vpc.id) return vpc.tags;
    if (id.startsWith('vpc-')) throw notFound('InvalidVpcID.NotFound', 'vpc ID');
    if (id.startsWith('subnet-'))
      return (subnets.get(id) ?? throwError(notFound('InvalidSubnetID.NotFound', 'subnet ID'))).tags;
    if (id.startsWith('sg-')) return (groups.get(id) ?? throwError(groupNotFound(id))).tags;
    if (id.startsWith('i-'))
      return (instances.get(id) ?? throwError(notFound('InvalidInstanceID.NotFound', 'instance ID'))).tags;
    throw new AwsApiError('InvalidID', `The ID '${id}' is not valid`);
  }

  const actions: Record<string, (input: Input) => unknown> = {
    DescribeVpcs(input) {
      const filters = parseFilters(input, vpcFields);
      const ids = stringList(input, 'VpcId');
      const selected = ids.length
        ? byIds(
            ids,
            new Map([[vpc.id, vpc]]),
            (id) => new AwsApiError('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`),
          )
        : [vpc];
      return {
        vpcSet: selected
          .filter((v) => matchesFilters(v, v.tags, filters, vpcFields))
          .map((v) => ({
            vpcId: v.id,
            cidrBlock: v.cidr,
            cidrBlockAssociationSet: [
              {
                associationId: `vpc-cidr-assoc-${v.id.slice(4)}`,
                cidrBlock: v.cidr,
                cidrBlockState: { state: 'associated' },
              },
            ],
            state: 'available',
            isDefault: false,
            ownerId: account,
            instanceTenancy: 'default',
            tagSet: tagSet(v.tags),
          })),
      };
    },

    DescribeSubnets(input) {
      const filters = parseFilters(input, subnetFields);
      const ids = stringList(input, 'SubnetId');
      const selected = ids.length
        ? byIds(
            ids,
            subnets,
            (id) => new AwsApiError('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`),
          )
        : [...subnets.values()];
      return {
        subnetSet: selected.filter((s) => matchesFilters(s, s.tags, filters, subnetFields)).map(subnetView),
      };
    },

    DescribeAvailabilityZones(input) {
      const filters = parseFilters(input, zoneFields);
      const names = stringList(input, 'ZoneName');
      const zoneIds = stringList(input, 'ZoneId');
      for (const name of names) {
        if (!zones.includes(name))
          throw invalidValue('ZoneName', name, `The zone '${name}' does not exist in region ${region}.`);
      }
      const selected = zones.filter(
        (z) =>
          (names.length === 0 || names.includes(z)) && (zoneIds.length === 0 || zoneIds.includes(zoneId(z))),
      );
      return {
        availabilityZoneInfo: selected
          .filter((z) => matchesFilters(z, new Map(), filters, zoneFields))
          .map((z) => ({
            zoneName: z,
            zoneId: zoneId(z),
            zoneState: 'available',
            regionName: region,
            zoneType: 'availability-zone',
            optInStatus: 'opt-in-not-required',
            groupName: region,
            networkBorderGroup: region,
            messageSet: [],
          })),
      };
    },

    CreateSecurityGroup(input) {
      const name = requiredString(input, 'GroupName');
      const description = requiredString(input, 'GroupDescription');
      const vpcId = optionalString(input, 'VpcId') ?? vpc.id;
      if (vpcId !== vpc.id)
        throw new AwsApiError('InvalidVpcID.NotFound', `The vpc ID '${vpcId}' does not exist`);
      if (name.length > 255) throw invalidValue('GroupName', name, 'Names are at most 255 characters.');
      if (name.toLowerCase().startsWith('sg-'))
        throw invalidValue('GroupName', name, "Names cannot start with 'sg-'.");
      if ([...groups.values()].some((g) => g.name === name && g.vpcId === vpcId)) {
        throw new AwsApiError(
          'InvalidGroup.Duplicate',
          `The security group '${name}' already exists for VPC '${vpcId}'`,
        );
      }
      if (groups.size >= quotas.securityGroupsPerVpc) {
        throw new AwsApiError(
          'SecurityGroupLimitExceeded',
          `The maximum number of security groups for VPC '${vpcId}' has been reached.`,
        );
      }
      const tags = new Map<string, string>();
      const id = newId('sg');
      applyTags(tags, tagsFromSpecifications(input, 'security-group'), id);
      const group: SecurityGroup = { id, name, description, vpcId, tags, ingress: [], egress: [] };
      group.egress.push({
        id: newId('sgr'),
        protocol: '-1',
        fromPort: undefined,
        toPort: undefined,
        cidr: '0.0.0.0/0',
        cidrIpv6: undefined,
        groupId: undefined,
        prefixListId: undefined,
        description: undefined,
      });
      groups.set(id, group);
      return { groupId: id, securityGroupArn: groupView(group).securityGroupArn, tagSet: tagSet(tags) };
    },

    DescribeSecurityGroups(input) {
      const filters = parseFilters(input, groupFields);
      const ids = stringList(input, 'GroupId');
      const names = stringList(input, 'GroupName');
      let selected = ids.length ? byIds(ids, groups, groupNotFound) : [...groups.values()];
      if (names.length) {
        for (const name of names) if (!selected.some((g) => g.name === name)) throw groupNotFound(name);
        selected = selected.filter((g) => names.includes(g.name));
      }
      return {
        securityGroupInfo: selected
          .filter((g) => matchesFilters(g, g.tags, filters, groupFields))
          .map(groupView),
      };
    },

    DeleteSecurityGroup(input) {
      const group = groupByIdOrName(input);
      const dependent = [...groups.values()].find(
        (other) =>
          other.id !== group.id && [...other.ingress, ...other.egress].some((r) => r.groupId === group.id),
      );
      const user = dependent?.id ?? externalUser(group.id);
      if (user !== undefined) {
        throw new AwsApiError('DependencyViolation', `resource ${group.id} has a dependent object (${user})`);
      }
      groups.delete(group.id);
      return { return: true, groupId: group.id };
    },

    AuthorizeSecurityGroupIngress(input) {
      const group = groupByIdOrName(input);
      const specs = parsePermissions(input, (id) => groups.has(id));
      specs.forEach((spec, i) => {
        if (
          group.ingress.some((rule) => sameRule(rule, spec)) ||
          specs.slice(0, i).some((other) => sameRule(other, spec))
        ) {
          throw new AwsApiError(
            'InvalidPermission.Duplicate',
            `the specified rule "${describeRule(spec)}" already exists`,
          );
        }
      });
      if (group.ingress.length + group.egress.length + specs.length > quotas.rulesPerSecurityGroup) {
        throw new AwsApiError(
          'RulesPerSecurityGroupLimitExceeded',
          `The maximum number of rules per security group has been reached.`,
        );
      }
      const added: SecurityGroupRule[] = specs.map((spec) => ({ ...spec, id: newId('sgr') }));
      group.ingress.push(...added);
      return { return: true, securityGroupRuleSet: toRuleSet(group, added, account, false) };
    },

    RevokeSecurityGroupIngress(input) {
      const group = groupByIdOrName(input);
      const ruleIds = stringList(input, 'SecurityGroupRuleId');
      const specs = ruleIds.length ? [] : parsePermissions(input, () => true);
      const unknownIds = ruleIds.filter((id) => !group.ingress.some((rule) => rule.id === id));
      const unknownSpecs = specs.filter((spec) => !group.ingress.some((rule) => sameRule(rule, spec)));
      if (unknownIds.length === ruleIds.length && unknownSpecs.length === specs.length) {
        throw new AwsApiError(
          'InvalidPermission.NotFound',
          'The specified rule does not exist in this security group.',
        );
      }
      group.ingress = group.ingress.filter(
        (rule) => !ruleIds.includes(rule.id) && !specs.some((spec) => sameRule(rule, spec)),
      );
      const unknown = unknownSpecs.map((spec) => ({ ...spec, id: '' }));
      return { return: true, unknownIpPermissionSet: toIpPermissions(unknown, account) };
    },

    CreateTags(input) {
      const ids = stringList(input, 'ResourceId');
      if (ids.length === 0)
        throw new AwsApiError('MissingParameter', 'The request must contain the parameter ResourceId');
      const tags = parseTags(input, 'Tag');
      if (tags.length === 0)
        throw new AwsApiError('MissingParameter', 'The request must contain the parameter Tag');
      const targets = ids.map((id) => [id, taggable(id)] as const);
      for (const [id, target] of targets) applyTags(target, tags, id);
      return { return: true };
    },

    DeleteTags(input) {
      const ids = stringList(input, 'ResourceId');
      if (ids.length === 0)
        throw new AwsApiError('MissingParameter', 'The request must contain the parameter ResourceId');
      const tags = parseTags(input, 'Tag');
      for (const target of ids.map(taggable)) removeTags(target, tags);
      return { return: true };
    },

    DescribeInstances(input) {
      const filters = parseFilters(input, instanceFields);
      const ids = stringList(input, 'InstanceId');
      const selected = ids.length
        ? byIds(
            ids,
            instances,
            (id) => new AwsApiError('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`),
          )
        : [...instances.values()];
      return {
        reservationSet: selected
          .filter((i) => matchesFilters(i, i.tags, filters, instanceFields))
          .map((i) => ({
            reservationId: `r-${i.id.slice(2)}`,
            ownerId: account,
            groupSet: [],
            instancesSet: [instanceView(i)],
          })),
      };
    },
  };

  const view: Ec2View = {
    vpcId: vpc.id,
    vpcCidr: vpc.cidr,
    instanceExists: (id) => instances.has(id),
    instanceById(id) {
      const i = instances.get(id);
      return (
        i && {
          id: i.id,
          subnetId: i.subnetId,
          vpcId: i.vpcId,
          availabilityZone: i.availabilityZone,
          privateIp: i.privateIp,
          state: i.state,
        }
      );
    },
    subnetById(id) {
      const s = subnets.get(id);
      return (
        s && {
          id: s.id,
          vpcId: s.vpcId,
          availabilityZone: s.availabilityZone,
          cidr: s.cidr,
          tags: Object.fromEntries(s.tags),
        }
      );
    },
    securityGroupExists: (id) => groups.has(id),
    ipInCidr,
  };

  return {
    name: 'ec2',
    handle(action, input) {
      const run = actions[action];
      if (run === undefined || !Object.hasOwn(actions, action)) {
        throw new AwsApiError('InvalidAction', `The action ${action} is not valid for this web service.`);
      }
      // every Describe answers in one page, so no token this endpoint issued can come back
      const token = optionalString(input, 'NextToken');
      if (token !== undefined && token !== '') {
        throw new AwsApiError(
          'InvalidPaginationToken',
          `The pagination token ${token} is not valid or is expired.`,
        );
      }
      return run(input);
    },
    view: () => view,
    addInstance(seed) {
      if (!/^i-([0-9a-f]{8}|[0-9a-f]{17})$/.test(seed.id)) {
        throw new Error(`instance ${seed.id}: id must be i- followed by 8 or 17 hex digits`);
      }
      const subnet = subnets.get(seed.subnetId);
      if (subnet === undefined) throw new Error(`instance ${seed.id}: unknown subnetId ${seed.subnetId}`);
      if (!ipInCidr(seed.privateIp, subnet.cidr)) {
        throw new Error(
          `instance ${seed.id}: privateIp ${seed.privateIp} is outside subnet ${subnet.id} (${subnet.cidr})`,
        );
      }
      if (seed.availabilityZone !== undefined && seed.availabilityZone !== subnet.availabilityZone) {
        throw new Error(
          `instance ${seed.id}: availabilityZone ${seed.availabilityZone} differs from subnet ${subnet.id}'s ${subnet.availabilityZone}`,
        );
      }
      instances.set(seed.id, {
        id: seed.id,
        subnetId: subnet.id,
        vpcId: subnet.vpcId,
        availabilityZone: subnet.availabilityZone,
        privateIp: seed.privateIp,
        instanceType: seed.instanceType ?? 'm5.large',
        state: seed.state ?? 'running',
        tags: new Map(Object.entries(seed.tags ?? {})),
      });
    },
    removeInstance: (id) => instances.delete(id),
    setSecurityGroupUsers(usedBy) {
      externalUser = usedBy;
    },
    dump: () => ({
      vpc: { id: vpc.id, cidr: vpc.cidr, tags: Object.fromEntries(vpc.tags) },
      subnets: [...subnets.values()].map(subnetView),
      securityGroups: [...groups.values()].map(groupView),
      instances: [...instances.values()].map(instanceView),
    }),
  };
}

function throwError(error: Error): never {
  throw error;
}
