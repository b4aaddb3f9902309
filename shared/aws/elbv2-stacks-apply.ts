import {
  AddTagsCommand,
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  type ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyLoadBalancerAttributesCommand,
  ModifyRuleCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  SetIpAddressTypeCommand,
  SetRulePrioritiesCommand,
  SetSecurityGroupsCommand,
  SetSubnetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Change } from '../plan/stack-changes.js';
import { str, tagsArray, toSdkActions, toSdkConditions, toSdkHealthCheck } from './elbv2-stacks-convert.js';
import { ignoreNotFound, type StackCall } from './elbv2-stacks-errors.js';

/**
 * Applying one resolved ELBv2 plan change (no Refs left). Attributes go in a second call after a
 * create, as AWS's create calls do not take them; deletes of something already gone succeed.
 */

export type Elbv2Change = Exclude<
  Change,
  {
    op:
      | 'createSecurityGroup'
      | 'authorizeSecurityGroupIngress'
      | 'revokeSecurityGroupIngress'
      | 'deleteSecurityGroup';
  }
>;

export interface ApplyResult {
  arn?: string;
  dnsName?: string;
}

export async function applyElbv2Change(
  client: ElasticLoadBalancingV2Client,
  call: StackCall,
  change: Elbv2Change,
): Promise<ApplyResult> {
  switch (change.op) {
    case 'createTargetGroup': {
      const s = change.spec;
      const result = await call('CreateTargetGroup', s.name, () =>
        client.send(
          new CreateTargetGroupCommand({
            Name: s.name,
            Protocol: s.protocol,
            ...(s.protocolVersion ? { ProtocolVersion: s.protocolVersion } : {}),
            Port: s.port,
            VpcId: change.vpcId,
            TargetType: s.targetType,
            IpAddressType: s.ipAddressType,
            ...toSdkHealthCheck(s.healthCheckConfig),
            Tags: tagsArray(s.tags),
          }),
        ),
      );
      const arn = result.TargetGroups?.[0]?.TargetGroupArn ?? '';
      if (s.targetGroupAttributes.length > 0) {
        await call('ModifyTargetGroupAttributes', arn, () =>
          client.send(
            new ModifyTargetGroupAttributesCommand({
              TargetGroupArn: arn,
              Attributes: s.targetGroupAttributes.map((a) => ({ Key: a.key, Value: a.value })),
            }),
          ),
        );
      }
      return { arn };
    }
    case 'modifyTargetGroup':
      await call('ModifyTargetGroup', change.arn, () =>
        client.send(
          new ModifyTargetGroupCommand({
            TargetGroupArn: change.arn,
            ...toSdkHealthCheck(change.healthCheck),
          }),
        ),
      );
      return {};
    case 'modifyTargetGroupAttributes':
      await call('ModifyTargetGroupAttributes', change.arn, () =>
        client.send(
          new ModifyTargetGroupAttributesCommand({
            TargetGroupArn: change.arn,
            Attributes: change.attributes.map((a) => ({ Key: a.key, Value: a.value })),
          }),
        ),
      );
      return {};
    case 'createLoadBalancer': {
      const s = change.spec;
      const result = await call('CreateLoadBalancer', s.name, () =>
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
      );
      const lb = result.LoadBalancers?.[0];
      const arn = lb?.LoadBalancerArn ?? '';
      if (s.loadBalancerAttributes.length > 0) {
        await call('ModifyLoadBalancerAttributes', arn, () =>
          client.send(
            new ModifyLoadBalancerAttributesCommand({
              LoadBalancerArn: arn,
              Attributes: s.loadBalancerAttributes.map((a) => ({ Key: a.key, Value: a.value })),
            }),
          ),
        );
      }
      return { arn, dnsName: lb?.DNSName ?? '' };
    }
    case 'modifyLoadBalancerAttributes':
      await call('ModifyLoadBalancerAttributes', change.arn, () =>
        client.send(
          new ModifyLoadBalancerAttributesCommand({
            LoadBalancerArn: change.arn,
            Attributes: change.attributes.map((a) => ({ Key: a.key, Value: a.value })),
          }),
        ),
      );
      return {};
    case 'setSecurityGroups':
      await call('SetSecurityGroups', change.arn, () =>
        client.send(
          new SetSecurityGroupsCommand({
            LoadBalancerArn: change.arn,
            SecurityGroups: change.securityGroups.map((g) => str(g) ?? ''),
          }),
        ),
      );
      return {};
    case 'setSubnets':
      await call('SetSubnets', change.arn, () =>
        client.send(new SetSubnetsCommand({ LoadBalancerArn: change.arn, Subnets: change.subnetIds })),
      );
      return {};
    case 'setIpAddressType':
      await call('SetIpAddressType', change.arn, () =>
        client.send(
          new SetIpAddressTypeCommand({ LoadBalancerArn: change.arn, IpAddressType: change.ipAddressType }),
        ),
      );
      return {};
    case 'createListener': {
      const s = change.spec;
      const result = await call('CreateListener', `port ${s.port}`, () =>
        client.send(
          new CreateListenerCommand({
            LoadBalancerArn: str(s.loadBalancerARN),
            Port: s.port,
            Protocol: s.protocol,
            DefaultActions: toSdkActions(s.defaultActions),
            ...(s.certificates?.length
              ? {
                  Certificates: s.certificates.slice(0, 1).map((c) => ({ CertificateArn: c.certificateARN })),
                }
              : {}),
            ...(s.sslPolicy ? { SslPolicy: s.sslPolicy } : {}),
            ...(s.alpnPolicy ? { AlpnPolicy: s.alpnPolicy } : {}),
            Tags: tagsArray(s.tags),
          }),
        ),
      );
      return { arn: result.Listeners?.[0]?.ListenerArn ?? '' };
    }
    case 'modifyListener': {
      const s = change.spec;
      await call('ModifyListener', change.arn, () =>
        client.send(
          new ModifyListenerCommand({
            ListenerArn: change.arn,
            Port: s.port,
            Protocol: s.protocol,
            DefaultActions: toSdkActions(s.defaultActions),
            ...(s.certificates?.length
              ? {
                  Certificates: s.certificates.slice(0, 1).map((c) => ({ CertificateArn: c.certificateARN })),
                }
              : {}),
            ...(s.sslPolicy ? { SslPolicy: s.sslPolicy } : {}),
          }),
        ),
      );
      return {};
    }
    case 'setRulePriorities':
      await call('SetRulePriorities', change.listenerArn, () =>
        client.send(
          new SetRulePrioritiesCommand({
            RulePriorities: change.priorities.map((p) => ({ RuleArn: p.ruleArn, Priority: p.priority })),
          }),
        ),
      );
      return {};
    case 'modifyRule':
      await call('ModifyRule', change.arn, () =>
        client.send(
          new ModifyRuleCommand({
            RuleArn: change.arn,
            Actions: toSdkActions(change.actions),
            Conditions: toSdkConditions(change.conditions),
          }),
        ),
      );
      return {};
    case 'createRule': {
      const s = change.spec;
      const listenerArn = str(change.listenerArn) ?? '';
      const result = await call('CreateRule', `${listenerArn} priority ${s.priority}`, () =>
        client.send(
          new CreateRuleCommand({
            ListenerArn: listenerArn,
            Priority: s.priority,
            Actions: toSdkActions(s.actions),
            Conditions: toSdkConditions(s.conditions),
            Tags: tagsArray(s.tags),
          }),
        ),
      );
      return { arn: result.Rules?.[0]?.RuleArn ?? '' };
    }
    case 'deleteRule':
      await ignoreNotFound(
        call('DeleteRule', change.arn, () => client.send(new DeleteRuleCommand({ RuleArn: change.arn }))),
      );
      return {};
    case 'deleteListener':
      await ignoreNotFound(
        call('DeleteListener', change.arn, () =>
          client.send(new DeleteListenerCommand({ ListenerArn: change.arn })),
        ),
      );
      return {};
    case 'deleteTargetGroup':
      await ignoreNotFound(
        call('DeleteTargetGroup', change.arn, () =>
          client.send(new DeleteTargetGroupCommand({ TargetGroupArn: change.arn })),
        ),
      );
      return {};
    case 'deleteLoadBalancer':
      await ignoreNotFound(
        call('DeleteLoadBalancer', change.arn, () =>
          client.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: change.arn })),
        ),
      );
      return {};
    case 'addTags':
      await call('AddTags', change.arn, () =>
        client.send(new AddTagsCommand({ ResourceArns: [change.arn], Tags: tagsArray(change.tags) })),
      );
      return {};
  }
}
