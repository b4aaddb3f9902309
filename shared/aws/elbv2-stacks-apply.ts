import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Applier, Appliers, ApplyResult, Elbv2Change, Elbv2Op } from './elbv2-stacks-apply/applier.js';
import { listenerAppliers } from './elbv2-stacks-apply/listeners.js';
import { loadBalancerAppliers } from './elbv2-stacks-apply/load-balancer.js';
import { ruleAppliers } from './elbv2-stacks-apply/rules.js';
import { tagAppliers } from './elbv2-stacks-apply/tags.js';
import { targetGroupAppliers } from './elbv2-stacks-apply/target-groups.js';
import type { ClientCredentials } from './elbv2-stacks-convert.js';
import type { StackCall } from './elbv2-stacks-errors.js';

export type { AddonChange, ApplyResult, Elbv2Change } from './elbv2-stacks-apply/applier.js';

/**
 * Applying one resolved ELBv2 plan change (no Refs left), by the applier of its resource type
 * (elbv2-stacks-apply/). Attributes go in a second call after a create, as AWS's create calls do
 * not take them; deletes of something already gone succeed.
 */
const APPLIERS: Appliers<Elbv2Op> = {
  ...targetGroupAppliers,
  ...loadBalancerAppliers,
  ...listenerAppliers,
  ...ruleAppliers,
  ...tagAppliers,
};

export async function applyElbv2Change(
  client: ElasticLoadBalancingV2Client,
  call: StackCall,
  change: Elbv2Change,
  credentials?: ClientCredentials,
): Promise<ApplyResult> {
  // the table is typed op by op; TypeScript cannot follow `change.op` into it, hence the widening
  const apply = APPLIERS[change.op] as Applier<Elbv2Change> | undefined;
  if (!apply) throw new Error(`ELBv2 plan change: no applier for op ${JSON.stringify(change.op)}`);
  return apply(client, call, change, credentials);
}
