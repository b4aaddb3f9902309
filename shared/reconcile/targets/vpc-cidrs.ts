import type { Binding } from '../../state/index.js';
import { STACK_KEY_PREFIX } from '../../state/keys.js';
import type { TargetsDeps } from './ports.js';

/**
 * The VPC CIDRs a pass plans ip targets against, from the binding (stacks writes them, so
 * targets needs no EC2 client). A binding written before the field existed has none: its
 * stack key is marked dirty, so resync asks stacks for a pass that rewrites the binding with
 * them, and meanwhile every pod IP is taken as inside the VPC (the VPC CNI's case), which
 * registers it without AvailabilityZone=all. Instance bindings need no CIDRs.
 */
export async function vpcCidrsFor(
  deps: Pick<TargetsDeps, 'state' | 'logger'>,
  binding: Binding,
): Promise<readonly string[] | undefined> {
  if (binding.targetType !== 'ip') return undefined;
  if (binding.vpcCidrs !== undefined) return binding.vpcCidrs;
  const stackKey = `${STACK_KEY_PREFIX}${binding.cluster}#${binding.stackKey}`;
  deps.logger.warn('binding has no vpcCidrs (written by an older stacks): its stack is asked to rewrite it', {
    targetGroupArn: binding.targetGroupArn,
    stackKey,
  });
  await deps.state.queue.bump(stackKey);
  return undefined;
}
