import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Attribute } from '../../model/stack.js';
import type { Change } from '../../plan/stack-changes.js';
import type { ClientCredentials } from '../elbv2-stacks-convert.js';
import type { StackCall } from '../elbv2-stacks-errors.js';

/** The plan changes the load balancer add-ons port applies (WAFv2, Shield: lb-addons.ts). */
export type AddonChange = Extract<
  Change,
  {
    op: 'associateWebAcl' | 'disassociateWebAcl' | 'createShieldProtection' | 'deleteShieldProtection';
  }
>;

/** The plan changes the ELBv2 port applies (security groups go to the EC2 port, add-ons to theirs). */
export type Elbv2Change = Exclude<
  Change,
  | {
      op:
        | 'createSecurityGroup'
        | 'authorizeSecurityGroupIngress'
        | 'revokeSecurityGroupIngress'
        | 'deleteSecurityGroup';
    }
  | AddonChange
>;

export type Elbv2Op = Elbv2Change['op'];

export interface ApplyResult {
  arn?: string;
  dnsName?: string;
}

/** Applies one resolved change of one kind: one or two SDK calls, each through `call`. */
export type Applier<C extends Elbv2Change> = (
  client: ElasticLoadBalancingV2Client,
  call: StackCall,
  change: C,
  /** OIDC client secrets, supplied at apply time only */
  credentials?: ClientCredentials,
) => Promise<ApplyResult>;

/** One applier per op in `Op`: a resource type's module exports one of these. */
export type Appliers<Op extends Elbv2Op> = { [K in Op]: Applier<Extract<Elbv2Change, { op: K }>> };

export function sdkAttributes(attributes: readonly Attribute[]): { Key: string; Value: string }[] {
  return attributes.map((a) => ({ Key: a.key, Value: a.value }));
}
