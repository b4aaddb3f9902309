import {
  CreateLoadBalancerCommand,
  DeleteLoadBalancerCommand,
  ModifyLoadBalancerAttributesCommand,
  SetIpAddressTypeCommand,
  SetSecurityGroupsCommand,
  SetSubnetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { str, tagsArray } from '../elbv2-stacks-convert.js';
import { ignoreNotFound } from '../elbv2-stacks-errors.js';
import { assertOwned, createByName } from '../elbv2-stacks-ownership.js';
import { type Appliers, sdkAttributes } from './applier.js';

/** Load balancers. CreateLoadBalancer takes no attributes: they follow in a second call. */
export const loadBalancerAppliers: Appliers<
  | 'createLoadBalancer'
  | 'modifyLoadBalancerAttributes'
  | 'setSecurityGroups'
  | 'setSubnets'
  | 'setIpAddressType'
  | 'deleteLoadBalancer'
> = {
  async createLoadBalancer(client, call, change) {
    const s = change.spec;
    const result = await createByName('load balancer', s.name, () =>
      call('CreateLoadBalancer', s.name, () =>
        client.send(
          new CreateLoadBalancerCommand({
            Name: s.name,
            Type: s.type,
            Scheme: s.scheme,
            IpAddressType: s.ipAddressType,
            SubnetMappings: s.subnetMapping.map((m) => ({ SubnetId: m.subnetID })),
            ...(s.securityGroups.length > 0
              ? { SecurityGroups: s.securityGroups.map((g) => str(g) ?? '') }
              : {}),
            Tags: tagsArray(s.tags),
          }),
        ),
      ),
    );
    const lb = result.LoadBalancers?.[0];
    const arn = lb?.LoadBalancerArn ?? '';
    // idempotent by name: the answer may be someone else's load balancer (elbv2-stacks-ownership.ts)
    await assertOwned(client, call, 'load balancer', s.name, arn, s.tags);
    if (s.loadBalancerAttributes.length > 0) {
      await call('ModifyLoadBalancerAttributes', arn, () =>
        client.send(
          new ModifyLoadBalancerAttributesCommand({
            LoadBalancerArn: arn,
            Attributes: sdkAttributes(s.loadBalancerAttributes),
          }),
        ),
      );
    }
    return { arn, dnsName: lb?.DNSName ?? '' };
  },

  async modifyLoadBalancerAttributes(client, call, change) {
    await call('ModifyLoadBalancerAttributes', change.arn, () =>
      client.send(
        new ModifyLoadBalancerAttributesCommand({
          LoadBalancerArn: change.arn,
          Attributes: sdkAttributes(change.attributes),
        }),
      ),
    );
    return {};
  },

  async setSecurityGroups(client, call, change) {
    await call('SetSecurityGroups', change.arn, () =>
      client.send(
        new SetSecurityGroupsCommand({
          LoadBalancerArn: change.arn,
          SecurityGroups: change.securityGroups.map((g) => str(g) ?? ''),
        }),
      ),
    );
    return {};
  },

  async setSubnets(client, call, change) {
    await call('SetSubnets', change.arn, () =>
      client.send(new SetSubnetsCommand({ LoadBalancerArn: change.arn, Subnets: change.subnetIds })),
    );
    return {};
  },

  async setIpAddressType(client, call, change) {
    await call('SetIpAddressType', change.arn, () =>
      client.send(
        new SetIpAddressTypeCommand({ LoadBalancerArn: change.arn, IpAddressType: change.ipAddressType }),
      ),
    );
    return {};
  },

  async deleteLoadBalancer(client, call, change) {
    await ignoreNotFound(
      call('DeleteLoadBalancer', change.arn, () =>
        client.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: change.arn })),
      ),
    );
    return {};
  },
};
