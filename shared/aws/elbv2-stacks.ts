import {
  DescribeListenerAttributesCommand,
  DescribeTargetGroupsCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { NotFoundError } from '../errors.js';
import type { TagMap } from '../plan/stack-actual.js';
import { type ApplyResult, applyElbv2Change, type Elbv2Change } from './elbv2-stacks-apply.js';
import type { ClientCredentials } from './elbv2-stacks-convert.js';
import { stackCall } from './elbv2-stacks-errors.js';
import { type Elbv2ActualStack, findElbv2Stack } from './elbv2-stacks-read.js';

export type { AddonChange, ApplyResult, Elbv2Change } from './elbv2-stacks-apply.js';
export type { ClientCredentials, OidcCredentials } from './elbv2-stacks-convert.js';
export {
  fromSdkActions,
  fromSdkConditions,
  fromSdkHealthCheck,
  toSdkActions,
  toSdkConditions,
  toSdkHealthCheck,
} from './elbv2-stacks-convert.js';
export { translateStackError } from './elbv2-stacks-errors.js';

/**
 * The ELBv2 port of the stacks function: find a stack's resources by their tags
 * (elbv2-stacks-read.ts) and apply one resolved plan change (elbv2-stacks-apply.ts), with SDK
 * shapes converted in elbv2-stacks-convert.ts and SDK errors translated in elbv2-stacks-errors.ts.
 */
export interface Elbv2Stacks {
  /** resources whose tags carry every one of `tags` (cluster + stack) */
  findStack(tags: TagMap): Promise<Elbv2ActualStack>;
  /** `credentials` supplies OIDC client secrets to the SDK call (never to the plan) */
  apply(change: Elbv2Change, credentials?: ClientCredentials): Promise<ApplyResult>;
  targetGroupArnByName(name: string): Promise<string>;
  /** DescribeListenerAttributes: read only for listeners whose model sets some */
  listenerAttributes(listenerArn: string): Promise<Record<string, string>>;
}

export function createElbv2Stacks(client: ElasticLoadBalancingV2Client): Elbv2Stacks {
  return {
    findStack: (want) => findElbv2Stack(client, stackCall, want),
    apply: (change, credentials) => applyElbv2Change(client, stackCall, change, credentials),
    async listenerAttributes(arn) {
      const result = await stackCall('DescribeListenerAttributes', arn, () =>
        client.send(new DescribeListenerAttributesCommand({ ListenerArn: arn })),
      );
      return Object.fromEntries((result.Attributes ?? []).map((a) => [a.Key ?? '', a.Value ?? '']));
    },
    async targetGroupArnByName(name) {
      const result = await stackCall('DescribeTargetGroups', name, () =>
        client.send(new DescribeTargetGroupsCommand({ Names: [name] })),
      );
      const arn = result.TargetGroups?.[0]?.TargetGroupArn;
      if (!arn)
        throw new NotFoundError(`target group ${name} not found`, { subject: { kind: 'TargetGroup', name } });
      return arn;
    },
  };
}
